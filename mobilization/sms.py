"""SMS backends. Offices plug in their carrier's gateway by naming a class in SMS_BACKEND."""

import logging

logger = logging.getLogger("mobilization.sms")

__all__ = ["LoggingSMSBackend"]


class LoggingSMSBackend:
    """Logs the message instead of sending it: the default until a gateway is configured."""

    def send(self, phone, text):
        logger.info("SMS to %s: %s", phone[:3] + "****" + phone[-4:], text)
