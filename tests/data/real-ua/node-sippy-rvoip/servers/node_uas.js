// A small UAS on the node `sip` package (transaction + transport layers),
// written the way its docs show (sip.start, sip.makeResponse, sip.send):
// INVITE: 180 then 200 with SDP after 1 s (user "carol": 180, then waits for
// CANCEL and answers 487); BYE: 200 for a known dialog, 481 otherwise;
// OPTIONS: 200 with Allow; CANCEL: 200 and 487 for the ringing INVITE;
// Require with anything: 420 with Unsupported; other methods: 405 with Allow.
// Every response gets this UAS's To tag for its dialog.
var sip = require('sip');
var port = +process.argv[2] || 16064;
var ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS';
var dialogs = {}, pending = {};
function tag() { return Math.floor(Math.random() * 1e9).toString(16); }
function reply(rq, status, reason, extra, totag) {
  var rs = sip.makeResponse(rq, status, reason, extra);
  rs.headers.to = JSON.parse(JSON.stringify(rq.headers.to));
  rs.headers.to.params = rs.headers.to.params || {};
  if (status > 100 && !rs.headers.to.params.tag) rs.headers.to.params.tag = totag || tag();
  sip.send(rs);
  return rs;
}
sip.start({address: '127.0.0.1', port: port}, function(rq) {
  var user = sip.parseUri(rq.uri).user;
  var cid = rq.headers['call-id'];
  if (rq.method === 'ACK') return;
  if (rq.headers.require) {
    return reply(rq, 420, 'Bad Extension', {headers: {unsupported: rq.headers.require}});
  }
  var me = {uri: 'sip:' + (user || 'uas') + '@127.0.0.1:' + port};
  if (rq.method === 'INVITE') {
    var t = tag();
    reply(rq, 180, 'Ringing', {headers: {contact: [me]}}, t);
    if (user === 'carol') { pending[cid] = {rq: rq, tag: t}; return; }
    setTimeout(function() {
      dialogs[cid] = t;
      reply(rq, 200, 'OK', {headers: {contact: [me], allow: ALLOW, 'content-type': 'application/sdp'},
        content: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 16500 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n'}, t);
    }, 1000);
  } else if (rq.method === 'CANCEL') {
    var p = pending[cid];
    if (!p) return reply(rq, 481, 'Call/Transaction Does Not Exist');
    reply(rq, 200, 'OK', {}, p.tag);
    reply(p.rq, 487, 'Request Terminated', {}, p.tag);
    delete pending[cid];
  } else if (rq.method === 'BYE') {
    if (dialogs[cid] && rq.headers.to.params.tag === dialogs[cid]) { delete dialogs[cid]; reply(rq, 200, 'OK'); }
    else reply(rq, 481, 'Call/Transaction Does Not Exist');
  } else if (rq.method === 'OPTIONS') {
    reply(rq, 200, 'OK', {headers: {allow: ALLOW, accept: 'application/sdp', contact: [me]}});
  } else {
    reply(rq, 405, 'Method Not Allowed', {headers: {allow: ALLOW}});
  }
});
console.log('node sip UAS on ' + port);
