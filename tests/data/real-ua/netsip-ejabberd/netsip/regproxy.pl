#!/usr/bin/perl
# Net::SIP registrar (digest auth for REGISTER, user alice / secret) + stateless proxy
use strict; use warnings;
use Net::SIP; use Net::SIP::Debug;
my $port = shift || 5170;
Net::SIP::Debug->level($ENV{NETSIP_DEBUG}||0);
my $ua = Net::SIP::Simple->new( leg => "127.0.0.1:$port" );
my $disp = $ua->{dispatcher};
my $auth = Net::SIP::Authorize->new( dispatcher => $disp, realm => 'netsip', user2pass => { alice => 'secret', bob => 'secret' } );
my $reg  = Net::SIP::Registrar->new( dispatcher => $disp, domain => '*', min_expires => 60, max_expires => 3600 );
# auth only for REGISTER; the registrar also rewrites the Request-URI of other requests to a registered contact
my $authchain = Net::SIP::ReceiveChain->new( [ $auth ], methods => ['REGISTER'] );
my $proxy = Net::SIP::StatelessProxy->new( dispatcher => $disp );
$ua->create_chain( [ $authchain, $reg, $proxy ] );
$ua->loop;
