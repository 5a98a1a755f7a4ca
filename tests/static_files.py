"""whitenoise as production runs it, with its look through the static files made once.

With ``WHITENOISE_USE_FINDERS`` (on in tests: nothing is collected) whitenoise walks every
static file when its middleware is built, and Django's test client builds the middleware
anew for every client: 24 ms a client, about 50 s of the suite. The files do not change
while the suite runs, so the walk's result is kept for the process.
"""

from whitenoise.middleware import WhiteNoiseMiddleware


class WhiteNoiseMiddlewareScanningOnce(WhiteNoiseMiddleware):
    _files_found: dict | None = None

    def add_files_from_finders(self) -> None:
        cls = type(self)
        if cls._files_found is None:
            super().add_files_from_finders()
            cls._files_found = dict(self.files)
        else:
            self.files.update(cls._files_found)
