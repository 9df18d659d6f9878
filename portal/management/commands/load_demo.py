from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.demo import demo_load


class Command(BaseCommand):
    help = "Create demonstration accounts for every role (local use; needs load_reference first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default="compact-demo")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Demo accounts have a known password: run with DEBUG=1 or --force.")
        accounts = demo_load(password=options["password"])
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password: {options['password']})"))
        for account in accounts:
            self.stdout.write(f"  {account.username:<18} {account.what}")
