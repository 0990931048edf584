/*
 * sofia_uas.c - a small SIP UAS on sofia-sip's nua API (Debian 12
 * libsofia-sip-ua 1.12.11), to capture the responses the stack builds.
 *
 * Usage: sofia_uas PORT MODE
 *   MODE "app": the application handles REGISTER, SUBSCRIBE and MESSAGE
 *               (NUTAG_APPL_METHOD) and answers them itself;
 *   MODE "def": nua's defaults: the application handles only INVITE; every
 *               other method gets whatever nua/nta answers on its own.
 * Listens on sip:*:PORT over UDP and TCP (bound to 127.0.0.1).
 *
 * Behaviour by the Request-URI user (SIPp's -s):
 *   INVITE  bob      180, then 200 with an SDP answer (soa) after 300 ms
 *           ring     180, then waits (for CANCEL)
 *           busy     180, then 486 after 500 ms
 *           decline  180, then 603 after 500 ms
 *           away     180, then 480 after 500 ms
 *           nobody   404 at once
 *           rel      180 (reliable if the INVITE asks for 100rel), 200 after 1.5 s
 *   REGISTER (app)   no Authorization: 401 challenge from sofia's auth_module
 *                    (Digest, realm "sofia", qop auth); valid credentials:
 *                    200 with the request's Contacts, expires=, and Date;
 *                    user "short": 423 with Min-Expires 3600;
 *                    user "deny": 403
 *   SUBSCRIBE (app)  bob: 202 Accepted (Expires 60) then NOTIFY;
 *                    ok: 200 OK then NOTIFY; other: 489 Bad Event
 *   MESSAGE (app)    200 (user "relay": 202)
 *   OPTIONS, BYE, CANCEL, PRACK, INFO, unknown: nua answers itself
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>

#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/soa.h>
#include <sofia-sip/soa_tag.h>
#include <sofia-sip/auth_module.h>
#include <sofia-sip/su_tag_io.h>

static su_root_t *root;
static nua_t *nua;
static auth_mod_t *am;
static int appmode;

static char const sdp[] =
  "v=0\r\n"
  "o=sofia 1 1 IN IP4 127.0.0.1\r\n"
  "s=-\r\n"
  "c=IN IP4 127.0.0.1\r\n"
  "t=0 0\r\n"
  "m=audio 5390 RTP/AVP 0 8 101\r\n"
  "a=rtpmap:101 telephone-event/8000\r\n";

struct later { nua_handle_t *nh; int status; char const *phrase; };

static void later_cb(su_root_magic_t *m, su_timer_t *t, su_timer_arg_t *arg)
{
  struct later *l = (struct later *)arg;
  fprintf(stderr, "sofia_uas: delayed %d\n", l->status);
  nua_respond(l->nh, l->status, l->phrase, TAG_END());
  free(l);
  su_timer_destroy(t);
}

static void respond_later(nua_handle_t *nh, int ms, int status, char const *phrase)
{
  struct later *l = calloc(1, sizeof *l);
  su_timer_t *t = su_timer_create(su_root_task(root), ms);
  l->nh = nh; l->status = status; l->phrase = phrase;
  su_timer_set(t, later_cb, (su_timer_arg_t *)l);
}

static char const *ruser(sip_t const *sip)
{
  if (sip && sip->sip_request && sip->sip_request->rq_url->url_user)
    return sip->sip_request->rq_url->url_user;
  if (sip && sip->sip_to && sip->sip_to->a_url->url_user)
    return sip->sip_to->a_url->url_user;
  return "";
}

static void on_invite(nua_handle_t *nh, sip_t const *sip)
{
  char const *u = ruser(sip);
  if (!strcmp(u, "nobody")) {
    nua_respond(nh, SIP_404_NOT_FOUND, NUTAG_WITH_THIS(nua), TAG_END());
    return;
  }
  nua_respond(nh, SIP_180_RINGING, NUTAG_WITH_THIS(nua), TAG_END());
  if (!strcmp(u, "ring"))
    return;
  if (!strcmp(u, "busy"))
    respond_later(nh, 500, SIP_486_BUSY_HERE);
  else if (!strcmp(u, "decline"))
    respond_later(nh, 500, SIP_603_DECLINE);
  else if (!strcmp(u, "away"))
    respond_later(nh, 500, SIP_480_TEMPORARILY_UNAVAILABLE);
  else if (!strcmp(u, "rel"))
    respond_later(nh, 1500, SIP_200_OK);
  else
    respond_later(nh, 300, SIP_200_OK);
}

static void on_register(nua_handle_t *nh, sip_t const *sip)
{
  char const *u = sip->sip_to->a_url->url_user ? sip->sip_to->a_url->url_user : "";
  su_home_t home[1] = { SU_HOME_INIT(home) };
  auth_status_t *as;

  if (!strcmp(u, "deny")) {
    nua_respond(nh, SIP_403_FORBIDDEN, NUTAG_WITH_THIS(nua), TAG_END());
    return;
  }
  as = auth_status_new(home);
  as->as_method = sip->sip_request->rq_method_name;
  as->as_uri = NULL;
  auth_mod_check(am, as, sip, auth_server);
  fprintf(stderr, "sofia_uas: auth status %d %s\n", as->as_status,
          as->as_phrase ? as->as_phrase : "");
  if (as->as_status) {
    nua_respond(nh, as->as_status, as->as_phrase, NUTAG_WITH_THIS(nua),
                SIPTAG_HEADER((void *)as->as_response), TAG_END());
  }
  else if (!strcmp(u, "short")) {
    nua_respond(nh, SIP_423_INTERVAL_TOO_BRIEF, NUTAG_WITH_THIS(nua),
                SIPTAG_MIN_EXPIRES_STR("3600"), TAG_END());
  }
  else {
    /* 200: the request's Contacts, each with the granted expiry, and Date */
    sip_contact_t *m, *list = NULL, **tail = &list;
    unsigned exp = sip->sip_expires ? sip->sip_expires->ex_delta : 3600;
    char buf[32];
    for (m = sip->sip_contact; m; m = m->m_next) {
      sip_contact_t *c = sip_contact_dup(home, m);
      c->m_next = NULL;
      snprintf(buf, sizeof buf, "%u", m->m_expires ? (unsigned)strtoul(m->m_expires, NULL, 10) : exp);
      msg_header_replace_param(home, c->m_common, su_sprintf(home, "expires=%s", buf));
      *tail = c; tail = &c->m_next;
    }
    nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(nua),
                SIPTAG_CONTACT(list), SIPTAG_DATE(sip_date_create(home, sip_now())),
                SIPTAG_HEADER((void *)as->as_info), TAG_END());
  }
  su_home_deinit(home);
}

static void on_subscribe(nua_handle_t *nh, sip_t const *sip)
{
  char const *u = ruser(sip);
  if (!strcmp(u, "bob") || !strcmp(u, "ok")) {
    int st = strcmp(u, "bob") ? 200 : 202;
    nua_respond(nh, st, st == 200 ? sip_200_OK : sip_202_Accepted,
                NUTAG_WITH_THIS(nua), SIPTAG_EXPIRES_STR("60"), TAG_END());
    nua_notify(nh, NUTAG_SUBSTATE(nua_substate_active),
               SIPTAG_CONTENT_TYPE_STR("application/pidf+xml"),
               SIPTAG_PAYLOAD_STR("<?xml version=\"1.0\"?>\n<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:bob@127.0.0.1\"><tuple id=\"t1\"><status><basic>open</basic></status></tuple></presence>\n"),
               TAG_END());
  }
  else
    nua_respond(nh, SIP_489_BAD_EVENT, NUTAG_WITH_THIS(nua),
                SIPTAG_ALLOW_EVENTS_STR("presence"), TAG_END());
}

static void cb(nua_event_t event, int status, char const *phrase,
               nua_t *n, nua_magic_t *magic, nua_handle_t *nh,
               nua_hmagic_t *hmagic, sip_t const *sip, tagi_t tags[])
{
  fprintf(stderr, "sofia_uas: event %s status %d %s\n", nua_event_name(event),
          status, phrase ? phrase : "");
  switch (event) {
  case nua_i_invite:
    on_invite(nh, sip);
    break;
  case nua_i_register:
    on_register(nh, sip);
    break;
  case nua_i_subscribe:
    on_subscribe(nh, sip);
    break;
  case nua_i_message:
    if (appmode)
      nua_respond(nh, !strcmp(ruser(sip), "relay") ? 202 : 200,
                  !strcmp(ruser(sip), "relay") ? sip_202_Accepted : sip_200_OK,
                  NUTAG_WITH_THIS(nua), TAG_END());
    break;
  case nua_r_shutdown:
    if (status >= 200)
      su_root_break(root);
    break;
  default:
    break;
  }
}

static void stop(int sig) { (void)sig; su_root_break(root); }

int main(int argc, char *argv[])
{
  char url[64], turl[64];
  int port = argc > 1 ? atoi(argv[1]) : 5300;
  appmode = argc > 2 && !strcmp(argv[2], "app");

  su_init();
  root = su_root_create(NULL);
  snprintf(url, sizeof url, "sip:127.0.0.1:%d", port);
  snprintf(turl, sizeof turl, "sip:127.0.0.1:%d;transport=tcp", port);

  am = auth_mod_create(root, AUTHTAG_METHOD("Digest"), AUTHTAG_REALM("sofia"),
                       AUTHTAG_DB(argc > 3 ? argv[3] : "passwd"),
                       AUTHTAG_QOP("auth"), AUTHTAG_ALGORITHM("MD5"),
                       TAG_END());
  if (!am)
    fprintf(stderr, "sofia_uas: auth_mod_create failed\n");

  nua = nua_create(root, cb, NULL,
                   NUTAG_URL(url),
                   NUTAG_SIPS_URL(NULL),
                   SOATAG_USER_SDP_STR(sdp),
                   NUTAG_MEDIA_ENABLE(1),
                   TAG_IF(appmode, NUTAG_APPL_METHOD("REGISTER, SUBSCRIBE, MESSAGE")),
                   TAG_IF(appmode, NUTAG_ALLOW("REGISTER, SUBSCRIBE, MESSAGE")),
                   TAG_IF(appmode, NUTAG_ALLOW_EVENTS("presence")),
                   TAG_END());
  if (!nua) {
    fprintf(stderr, "sofia_uas: nua_create failed for %s\n", url);
    return 1;
  }
  (void)turl;
  nua_set_params(nua, NUTAG_ENABLEMESSAGE(1), TAG_END());
  signal(SIGTERM, stop);
  signal(SIGINT, stop);
  fprintf(stderr, "sofia_uas: listening on %s (%s)\n", url, appmode ? "app" : "def");
  su_root_run(root);
  nua_shutdown(nua);
  su_root_run(root);
  nua_destroy(nua);
  if (am) auth_mod_unref(am);
  su_root_destroy(root);
  su_deinit();
  return 0;
}
