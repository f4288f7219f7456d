"""Newslens: the router. Every page is a script in pages/; shared UI lives in pages/_shared.py."""

from pages._shared import route

route().run()
