#!/usr/bin/perl
# Net::SIP::Simple UAS that first registers itself (digest) at a registrar
# usage: uas_reg.pl PORT USER@DOMAIN REGISTRAR PASSWORD
use strict; use warnings;
use Net::SIP; use Net::SIP::Debug;
my ($port,$aor,$registrar,$pass) = @ARGV;
Net::SIP::Debug->level($ENV{NETSIP_DEBUG}||0);
my ($user) = $aor =~ /^([^@]+)/;
my $ua = Net::SIP::Simple->new( leg => "127.0.0.1:$port", from => "sip:$aor",
    domain2proxy => { "*" => $registrar }, auth => [ $user, $pass ] );
$ua->register( registrar => "sip:localhost", expires => 600, contact => "sip:$user\@127.0.0.1:$port" ) or die "register failed: ".$ua->error;
print STDERR "registered\n";
$ua->listen( init_media => $ua->rtp('recv_echo') );
$ua->loop;
