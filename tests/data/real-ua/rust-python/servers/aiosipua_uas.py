# aiosipua UAS on 127.0.0.1:5340, following the package README's "Receive calls with the UAS"
# example; CallSession (needs aiortp) replaced by the package's own negotiate_sdp.
# callee "busy" -> reject(486); callee "ring" -> ringing only (waits for CANCEL); "nosdp" -> 488 as in README.
import asyncio, logging, sys
from aiosipua import IncomingCall, SipUAS, negotiate_sdp
from aiosipua.transport import UdpSipTransport

logging.basicConfig(level=logging.DEBUG)
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 5340

async def handle_invite(call: IncomingCall):
    print(f"Incoming call: {call.caller} -> {call.callee}", flush=True)
    if call.sdp_offer is None:
        call.reject(488, "Not Acceptable Here")
        return
    if "busy" in call.callee:
        call.reject(486, "Busy Here")
        return
    answer, pt = negotiate_sdp(offer=call.sdp_offer, local_ip="127.0.0.1", rtp_port=30000, supported_codecs=[0, 8])
    call.ringing()
    if "ring" in call.callee:
        return
    await asyncio.sleep(0.2)
    call.accept(answer)

def handle_bye(call: IncomingCall, request):
    print(f"Call ended: {call.call_id}", flush=True)

async def main():
    transport = UdpSipTransport(local_addr=("127.0.0.1", PORT))
    uas = SipUAS(transport)
    uas.on_invite = lambda call: asyncio.get_running_loop().create_task(handle_invite(call))
    uas.on_bye = handle_bye
    await uas.start()
    print(f"Listening on port {PORT}...", flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
