"""The web chat channel (/chat): a token-free page and JSON API in front of the channel-neutral dialogue."""

from bot.web.routes import WebChat, install_web_chat

__all__ = ["WebChat", "install_web_chat"]
