"""Composition root: settings, the aiohttp app, the adapter and the command line."""
