"""Every email the product sends: a subject and a plain-text body from templates."""

from django.core.mail import send_mail
from django.template.loader import render_to_string


def email_send(*, to: str, template: str, context: dict) -> None:
    """Send `<template>_subject.txt` and `<template>.txt`, rendered with `context`, to `to`.

    Raises what the email backend raises (smtplib.SMTPException, OSError); callers that
    answer a person tell them the email could not be sent.
    """
    context = {"email": to, **context}
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}.txt", context)
    send_mail(subject, body, None, [to])
