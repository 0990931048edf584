#!/usr/bin/perl
# Net::SIP::Simple UAS: answers OPTIONS, INVITE (with SDP), BYE
use strict; use warnings;
use Net::SIP; use Net::SIP::Debug;
my $port = shift || 5172;
Net::SIP::Debug->level($ENV{NETSIP_DEBUG}||0);
my $ua = Net::SIP::Simple->new( leg => "127.0.0.1:$port", from => "sip:carl\@127.0.0.1:$port" );
$ua->listen( init_media => $ua->rtp('recv_echo') );
$ua->loop;
