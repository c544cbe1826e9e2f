from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from clusterdesk.accounts.models import User
from clusterdesk.accounts.selectors import user_api_tokens
from clusterdesk.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create or list personal API tokens: clusterdesk token create --user EMAIL"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print it once.")
        create.add_argument("--user", required=True, help="The owner's e-mail address.")
        create.add_argument("--name", default="command line", help="What the token is for.")
        create.add_argument("--days", type=int, default=None, help="Validity in days.")
        listing = sub.add_parser("list", help="List a person's active tokens.")
        listing.add_argument("--user", required=True, help="The owner's e-mail address.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["user"]).first()
        if user is None:
            raise CommandError(f"No account with the e-mail address {options['user']!r}.")
        if options["action"] == "list":
            for token in user_api_tokens(user=user):
                expires = token.expires_at.isoformat() if token.expires_at else "never"
                self.stdout.write(f"{token.prefix}\t{token.name}\texpires {expires}")
            return
        days = options["days"]
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        expires_at = timezone.now() + datetime.timedelta(days=days) if days else None
        _token, raw = api_token_create(user=user, name=options["name"], expires_at=expires_at)
        self.stdout.write(raw)
