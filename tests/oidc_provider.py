"""A small OpenID Connect provider for the tests: a real one, on loopback, in its own process.

It speaks the authorization code flow as an identity provider does (discovery, /authorize,
/token, /userinfo, /jwks), signs ID tokens with its own RSA key (RS256), checks the client's
secret, the redirect address, one-time codes and PKCE, and so exercises mozilla-django-oidc and
Compact Tracker's backend over HTTP, end to end. What it does not do is show a sign-in page:
the person is named by ``login_hint`` on /authorize, as a test playing the browser would pick an
account. Its people, and their claims, come from a JSON file:

    {"alice": {"email": "alice@un.org", "email_verified": true, "name": "Alice"}}

A person may carry test switches, each the behaviour of a broken or hostile provider:
``"aud"`` (the ID token's audience), ``"iss"`` (its issuer), ``"sign_with_other_key"``,
``"userinfo_sub"`` (a userinfo answer about someone else), ``"expired"``.

    python tests/oidc_provider.py --people people.json --client-id ID --client-secret SECRET

prints its address (``http://127.0.0.1:<port>``) on its first line once it listens.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CODE_SECONDS = 60
TOKEN_SECONDS = 300


class Provider:
    def __init__(self, people: dict[str, dict[str, Any]], client_id: str, client_secret: str) -> None:
        self.people, self.client_id, self.client_secret = people, client_id, client_secret
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(8)
        self.codes: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, str] = {}  # access token -> person
        self.lock = threading.Lock()
        self.issuer = ""
        self.default_login = ""  # who signs in when /authorize names nobody (a person trying it by hand)

    def jwks(self) -> dict[str, Any]:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def id_token(self, login: str, client_id: str, nonce: str | None) -> str:
        person = self.people[login]
        now = int(time.time())
        claims = {
            "iss": person.get("iss", self.issuer),
            "sub": login,
            "aud": person.get("aud", client_id),
            "iat": now,
            "exp": now - 60 if person.get("expired") else now + TOKEN_SECONDS,
            "email": person.get("email"),
            "email_verified": person.get("email_verified", False),
        }
        if nonce:
            claims["nonce"] = nonce
        key = self.other_key if person.get("sign_with_other_key") else self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})

    def userinfo(self, login: str) -> dict[str, Any]:
        person = self.people[login]
        claims = {key: value for key, value in person.items() if key in ("email", "email_verified", "name")}
        return {"sub": person.get("userinfo_sub", login), **claims}


class Handler(BaseHTTPRequestHandler):
    provider: Provider

    def log_message(self, format: str, *args: Any) -> None:  # the tests read its answers, not its log
        pass

    def _json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        provider = self.provider
        if url.path == "/.well-known/openid-configuration":
            base = provider.issuer
            self._json(
                200,
                {
                    "issuer": base,
                    "authorization_endpoint": f"{base}/authorize",
                    "token_endpoint": f"{base}/token",
                    "userinfo_endpoint": f"{base}/userinfo",
                    "jwks_uri": f"{base}/jwks",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "code_challenge_methods_supported": ["S256"],
                },
            )
        elif url.path == "/jwks":
            self._json(200, provider.jwks())
        elif url.path == "/authorize":
            self._authorize(query)
        elif url.path == "/userinfo":
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            login = provider.tokens.get(token)
            if login is None:
                self._json(401, {"error": "invalid_token"})
            else:
                self._json(200, provider.userinfo(login))
        else:
            self._json(404, {"error": "not_found"})

    def _authorize(self, query: dict[str, str]) -> None:
        provider = self.provider
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") != provider.client_id or not redirect_uri.startswith("http"):
            self._json(400, {"error": "invalid_client"})
            return
        if query.get("response_type") != "code" or "openid" not in query.get("scope", "").split():
            self._redirect(f"{redirect_uri}?{urlencode({'error': 'invalid_request', 'state': query.get('state', '')})}")
            return
        login = query.get("login_hint") or provider.default_login
        if login not in provider.people:
            self._redirect(f"{redirect_uri}?{urlencode({'error': 'access_denied', 'state': query.get('state', '')})}")
            return
        code = secrets.token_urlsafe(24)
        with provider.lock:
            provider.codes[code] = {
                "login": login,
                "client_id": query["client_id"],
                "redirect_uri": redirect_uri,
                "nonce": query.get("nonce"),
                "challenge": query.get("code_challenge"),
                "expires": time.time() + CODE_SECONDS,
            }
        self._redirect(f"{redirect_uri}?{urlencode({'code': code, 'state': query.get('state', '')})}")

    def do_POST(self) -> None:
        if urlsplit(self.path).path != "/token":
            self._json(404, {"error": "not_found"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
        provider = self.provider
        client_id, secret = form.get("client_id"), form.get("client_secret")
        basic = self.headers.get("Authorization", "")
        if basic.startswith("Basic "):
            client_id, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
        if client_id != provider.client_id or secret != provider.client_secret:
            self._json(401, {"error": "invalid_client"})
            return
        with provider.lock:
            grant = provider.codes.pop(form.get("code", ""), None)  # a code is good once
        if (
            form.get("grant_type") != "authorization_code"
            or grant is None
            or grant["expires"] < time.time()
            or grant["redirect_uri"] != form.get("redirect_uri")
            or grant["client_id"] != client_id
        ):
            self._json(400, {"error": "invalid_grant"})
            return
        if grant["challenge"]:
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if digest != grant["challenge"]:
                self._json(400, {"error": "invalid_grant", "error_description": "PKCE verification failed"})
                return
        access = secrets.token_urlsafe(24)
        with provider.lock:
            provider.tokens[access] = grant["login"]
        token = provider.id_token(grant["login"], client_id, grant["nonce"])
        self._json(
            200, {"access_token": access, "token_type": "Bearer", "expires_in": TOKEN_SECONDS, "id_token": token}
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", required=True, help="JSON file: login -> claims")
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--default-login", default="", help="who signs in when /authorize names nobody")
    arguments = parser.parse_args()
    with open(arguments.people, encoding="utf-8") as file:
        people = json.load(file)
    provider = Provider(people, arguments.client_id, arguments.client_secret)
    provider.default_login = arguments.default_login
    server = ThreadingHTTPServer(("127.0.0.1", arguments.port), Handler)
    provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    Handler.provider = provider
    sys.stdout.write(f"{provider.issuer}\n")  # the test reads where it listens
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        sys.stdout.flush()


if __name__ == "__main__":
    main()
