# Minimal Home Assistant-style voip-utils endpoint: VoipDatagramProtocol on 127.0.0.1:5310,
# as the HA voip integration uses it (SdpInfo + a protocol factory per call).
import asyncio, logging, sys
from voip_utils.sip import SdpInfo
from voip_utils.voip import VoipDatagramProtocol, RtpDatagramProtocol

logging.basicConfig(level=logging.DEBUG)
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 5310

def factory(call_info, rtcp_state):
    return RtpDatagramProtocol(rtcp_state=rtcp_state)

async def main():
    loop = asyncio.get_running_loop()
    sdp = SdpInfo(username="HA", id=1234, session_name="voip_utils", version="0.5.0")
    await loop.create_datagram_endpoint(lambda: VoipDatagramProtocol(sdp, factory), local_addr=("127.0.0.1", PORT))
    await asyncio.Event().wait()

asyncio.run(main())
