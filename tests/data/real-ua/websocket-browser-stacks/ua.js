// usage: node ua.js jssip|sipjs USER   -- register at Kamailio over WS and stay up, answering requests
global.WebSocket = require('ws');
const kind = process.argv[2], user = process.argv[3] || kind;
const WS = 'ws://127.0.0.1:5562';
const log = (...a) => console.log(new Date().toISOString(), ...a);
process.on('uncaughtException', e => log('UNCAUGHT', e && e.stack));
process.on('unhandledRejection', e => log('UNHANDLED', e && e.stack));
if (kind === 'jssip') {
  const JsSIP = require('jssip');
  if (process.env.JSSIP_DEBUG) JsSIP.debug.enable('JsSIP:*');
  if (process.env.FAKE_WINDOW) global.window = {};   // window without RTCPeerConnection
  const ua = new JsSIP.UA({ sockets: [new JsSIP.WebSocketInterface(WS)], uri: `sip:${user}@127.0.0.1`,
    password: 'secret', register: true, register_expires: 600, session_timers: true });
  ua.on('registered', () => log('REGISTERED'));
  ua.on('registrationFailed', e => log('REGFAIL', e.cause));
  ua.on('newMessage', e => log('newMessage', e.originator));
  ua.on('newRTCSession', e => log('newRTCSession', e.originator));
  ua.on('sipEvent', e => log('sipEvent'));
  ua.start();
  require('fs').writeFileSync('/work/jsscan/run/jssip_id', ua._configuration.jssip_id);
  process.on('SIGTERM', () => { ua.unregister(); setTimeout(() => { ua.stop(); setTimeout(() => process.exit(0), 800); }, 800); });
} else {
  const SIP = require('sip.js');
  const ua = new SIP.UserAgent({ uri: SIP.UserAgent.makeURI(`sip:${user}@127.0.0.1`),
    authorizationUsername: user, authorizationPassword: 'secret',
    transportOptions: { server: WS }, logLevel: process.env.SIPJS_DEBUG ? 'debug' : 'warn',
    delegate: {
      onInvite: inv => { log('onInvite'); },      // app leaves it ringing / default handling
      onMessage: m => { log('onMessage'); m.accept(); },
    } });
  let reg;
  ua.start().then(() => { reg = new SIP.Registerer(ua, { expires: 600 }); return reg.register(); })
    .then(() => log('REGISTER sent')).catch(e => log('ERR', e));
  process.on('SIGTERM', () => { reg.unregister().catch(()=>{}); setTimeout(() => { ua.stop().then(() => process.exit(0)); }, 800); });
}
