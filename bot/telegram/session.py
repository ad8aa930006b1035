"""The Bot API client session: requests with a JSON body, as the Bot API accepts for every method without a file.

aiogram's AiohttpSession sends every request form-urlencoded, and urllib percent-encodes a text byte by byte in
Python: for a Kazakh or Russian message of a few hundred characters that cost more CPU than the rest of the
sendMessage call (`qamqor bench dialogue`). A JSON body is encoded in C. Requests that upload a file still go as
multipart, through aiogram's own code.
"""

from __future__ import annotations

from typing import Any, cast

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InputFile
from aiohttp import ClientError, ClientTimeout

JSON_HEADERS = {"Content-Type": "application/json"}


class JsonBodySession(AiohttpSession):
    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        body = self.json_body(bot, method)
        if body is None:  # a file to upload: multipart, as aiogram builds it
            return await super().make_request(bot, method, timeout)
        session = await self.create_session()
        url = self.api.api_url(token=bot.token, method=method.__api_method__)
        try:
            request_timeout = ClientTimeout(total=self.timeout if timeout is None else timeout)
            async with session.post(url, data=body, headers=JSON_HEADERS, timeout=request_timeout) as response:
                raw_result = await response.text()
        except TimeoutError as error:
            raise TelegramNetworkError(method=method, message="Request timeout error") from error
        except ClientError as error:
            raise TelegramNetworkError(method=method, message=f"{type(error).__name__}: {error}") from error
        result = self.check_response(bot=bot, method=method, status_code=response.status, content=raw_result)
        return cast(TelegramType, result.result)

    def json_body(self, bot: Bot, method: TelegramMethod[TelegramType]) -> str | None:
        """The method's parameters as JSON, or None when it carries a file. Empty values are left out, as
        aiogram's form leaves them out (Telegram's defaults apply)."""
        files: dict[str, InputFile] = {}
        parameters: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files, _dumps_json=False)
            if prepared:
                parameters[key] = prepared
        return None if files else self.json_dumps(parameters)
