"""Engine.IO HTTP long-polling on the standard library.

Debian's python3-socketio (5.7.x) and python3-engineio (4.3.x) speak Socket.IO v5 / Engine.IO v4, which is
what a socket.io 4.x server expects, but their synchronous client needs `requests` for long-polling and
`websocket-client` for WebSocket. Neither is a dependency of the Debian package, and we promise
"standard library + python3-socketio". So, when `requests` is missing, this module hands Engine.IO a tiny
urllib-based stand-in with the same surface (Session.request, response.status_code/.content/.json(),
exceptions.RequestException). Long-polling is a first-class Engine.IO transport, so nothing on the hub
changes. When `websocket-client` is installed, the client upgrades to WebSocket as usual.
"""

import http.client
import http.cookiejar
import json
import socket
import ssl
import types
import urllib.error
import urllib.request


class RequestException(IOError):
    """What engineio catches around every HTTP request (as requests.exceptions.RequestException)."""


class _Response:
    def __init__(self, status_code, content):
        self.status_code = status_code
        self.content = content

    def json(self):
        # engineio catches engineio.json.JSONDecodeError, which is the stdlib's json.JSONDecodeError.
        return json.loads(self.content.decode('utf-8') or 'null')


class StdlibSession:
    """The part of requests.Session that engineio.Client uses, on urllib.

    A cookie jar is kept because load balancers pin long-polling sessions to one hub node with a cookie.
    """

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        # Read by engineio only when it upgrades to WebSocket with websocket-client installed.
        self.auth = None
        self.cert = None
        self.proxies = {}
        self.verify = True  # engineio sets False when the client was made with ssl_verify=False
        self._openers = {}

    def _opener(self):
        verify = self.verify is not False
        if verify not in self._openers:
            handlers = [urllib.request.HTTPCookieProcessor(self.cookies)]
            if not verify:
                handlers.append(urllib.request.HTTPSHandler(context=ssl._create_unverified_context()))
            self._openers[verify] = urllib.request.build_opener(*handlers)
        return self._openers[verify]

    def request(self, method, url, headers=None, data=None, timeout=None):
        body = data.encode('utf-8') if isinstance(data, str) else data
        req = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
        try:
            with self._opener().open(req, timeout=timeout) as res:
                return _Response(res.status, res.read())
        except urllib.error.HTTPError as err:
            # A status outside 2xx is an answer, not a transport failure: engineio looks at the code.
            with err:
                return _Response(err.code, err.read())
        except (urllib.error.URLError, http.client.HTTPException, socket.timeout, OSError) as err:
            raise RequestException(str(getattr(err, 'reason', err))) from None


def _stand_in_module():
    return types.SimpleNamespace(Session=StdlibSession, exceptions=types.SimpleNamespace(RequestException=RequestException))


def prepare(engineio_client_module):
    """Makes long-polling available on this interpreter; returns the transports to ask for.

    `engineio_client_module` is engineio.client, whose module-level `requests`/`websocket` names tell
    what is importable; we only fill in `requests` when it is absent, never replace a real one.
    """
    if engineio_client_module.requests is None:
        engineio_client_module.requests = _stand_in_module()
    if getattr(engineio_client_module, 'websocket', None) is None:
        # Asking for websocket without websocket-client only makes engineio log an error on every connect.
        return ['polling']
    return ['polling', 'websocket']


def describe(engineio_client_module):
    """One line for diagnostics: which HTTP and WebSocket libraries the client uses."""
    http_lib = 'stdlib urllib' if isinstance(engineio_client_module.requests, types.SimpleNamespace) else 'requests'
    ws = 'websocket-client' if getattr(engineio_client_module, 'websocket', None) is not None else 'none (long-polling only)'
    return 'http: %s, websocket: %s' % (http_lib, ws)
