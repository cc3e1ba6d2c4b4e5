"""How the Bot Connector client reaches the connector: aiohttp, on the event loop.

The stock client sends each request with `requests` on a thread of the default
executor: two thread switches per reply, each waiting for the GIL while the loop
and the database threads run. Measured with `make bench`, that hop was more than
half of what the Bot Framework cost a turn. Here the same pipeline (user agent,
credentials, JSON decoding, HTTP logging) ends in an aiohttp session that the
adapter owns, with the stock client's timeout and proxy settings.

Retries follow the design: 408, 429, 500, 502, 503 and 504 are tried again, three
times at most, after the `Retry-After` the connector asks for or a back-off with
jitter; a request that never left (connection refused, name not found) too. A 403
or any other answer is final, and a request that may have arrived is never sent
twice: a reply shows up once or not at all.
"""

from __future__ import annotations

import email.utils
import logging
import urllib.request
from datetime import UTC, datetime
from typing import Any

import aiohttp
import requests
from msrest.pipeline import Request, Response
from msrest.pipeline.async_abc import AsyncHTTPPolicy, AsyncHTTPSender, AsyncPipeline
from msrest.pipeline.universal import RawDeserializer
from msrest.universal_http import ClientRequest
from msrest.universal_http.async_abc import AsyncClientResponse
from multidict import CIMultiDict
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    retry_if_result,
    stop_after_attempt,
    wait_random_exponential,
)

logger = logging.getLogger(__name__)

_Request = Request[ClientRequest]
_Response = Response[ClientRequest, AsyncClientResponse]
_Policy = AsyncHTTPPolicy[ClientRequest, AsyncClientResponse]
_Sender = AsyncHTTPSender[ClientRequest, AsyncClientResponse]

RETRIED_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
ATTEMPTS = 4  # the first and three more, as the stock client
LONGEST_WAIT = 10.0  # seconds; a reply later than that is no longer an answer
_BACK_OFF = wait_random_exponential(multiplier=0.5, max=4)


class ConnectorTransport:
    """One aiohttp session for every connector client of an adapter."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            # Proxies from the environment, as the stock client's requests honours
            # them. Only then: with it, aiohttp reads ~/.netrc on a thread per request.
            proxies = bool(urllib.request.getproxies_environment())
            self._session = aiohttp.ClientSession(trust_env=proxies)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def pipeline(
        self, config: Any
    ) -> AsyncPipeline[ClientRequest, AsyncClientResponse]:
        """The stock pipeline of an msrest client, sending through this transport."""
        policies: list[Any] = [config.user_agent_policy]
        if config.credentials is not None:
            policies.append(_SignedByCredentials(config.credentials))
        policies += [_RetryTransientFailures(), RawDeserializer()]
        policies.append(config.http_logger_policy)
        timeout = aiohttp.ClientTimeout(total=config.connection.timeout)
        return AsyncPipeline(policies, _AiohttpSender(self, timeout))


def _next(policy: _Policy) -> _Policy | _Sender:
    """The step after `policy`; the pipeline links every policy to one."""
    assert policy.next is not None
    return policy.next


class _SignedByCredentials(_Policy):
    """Adds the header the Bot Framework credentials would put on a session.

    The credentials sign a `requests` session (no token without an app id); the
    header they set is copied onto each request, so a renewed token is used as soon
    as they renew it.
    """

    def __init__(self, credentials: Any) -> None:
        super().__init__()
        self._credentials = credentials
        self._signed = requests.Session()

    async def send(self, request: _Request, **kwargs: Any) -> _Response:
        self._credentials.signed_session(self._signed)
        authorization = self._signed.headers.get("Authorization")
        if authorization:
            request.http_request.headers["Authorization"] = authorization
        return await _next(self).send(request, **kwargs)


def _retry_after(response: _Response) -> float | None:
    """The seconds a `Retry-After` header asks for, as a number or an HTTP date."""
    value = response.http_response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _wait(state: RetryCallState) -> float:
    outcome = state.outcome
    if outcome is not None and not outcome.failed:
        asked = _retry_after(outcome.result())
        if asked is not None:
            return min(asked, LONGEST_WAIT)
    return float(_BACK_OFF(state))


def _is_transient(response: _Response) -> bool:
    return response.http_response.status_code in RETRIED_STATUSES


def _log_retry(state: RetryCallState) -> None:
    outcome = state.outcome
    if outcome is None:
        return
    why = (
        type(outcome.exception()).__name__
        if outcome.failed
        else f"HTTP {outcome.result().http_response.status_code}"
    )
    logger.warning(
        "connector request failed (%s); attempt %d of %d",
        why,
        state.attempt_number,
        ATTEMPTS,
    )


def _last_answer(state: RetryCallState) -> _Response:
    """After the last attempt: its answer, for the client to report as usual."""
    assert state.outcome is not None
    answer: _Response = state.outcome.result()
    return answer


class _RetryTransientFailures(_Policy):
    async def send(self, request: _Request, **kwargs: Any) -> _Response:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(ATTEMPTS),
            wait=_wait,
            retry=(
                retry_if_exception_type(aiohttp.ClientConnectorError)
                | retry_if_result(_is_transient)
            ),
            before_sleep=_log_retry,
            retry_error_callback=_last_answer,
        )
        response: _Response = await retrying(_next(self).send, request, **kwargs)
        return response


class _Answer(AsyncClientResponse):
    """An HTTP answer, read whole, as msrest's decoding expects it."""

    def __init__(
        self, request: ClientRequest, answer: aiohttp.ClientResponse, body: bytes
    ) -> None:
        super().__init__(request, answer)
        self.status_code = answer.status
        self.headers = CIMultiDict(answer.headers)
        self.reason = answer.reason
        self._body = body

    def body(self) -> bytes:
        return self._body


class _AiohttpSender(_Sender):
    def __init__(self, transport: ConnectorTransport, timeout: aiohttp.ClientTimeout):
        self._transport = transport
        self._timeout = timeout

    async def __aenter__(self) -> _AiohttpSender:
        return self

    async def __aexit__(self, *exc_details: object) -> None:
        """The session belongs to the transport, which closes it."""

    def build_context(self) -> None:
        return None

    async def send(self, request: _Request, **config: Any) -> _Response:
        http: ClientRequest = request.http_request
        if http.files:
            raise NotImplementedError("the connector client sends JSON only")
        async with self._transport.session().request(
            http.method,
            http.url,
            headers=http.headers,
            data=http.data,
            timeout=self._timeout,
        ) as answer:
            body = await answer.read()
        return Response(request, _Answer(http, answer, body))
