#!/usr/bin/python3
"""A debuginfod impostor for the failure cases of tests/debuginfod/test.sh.

badserver.py MODE FILE PORTFILE LOGFILE [BUILDID]: listens on 127.0.0.1 (a
free port, written to PORTFILE once listening) and answers every
GET /buildid/HEX/debuginfo (only HEX = BUILDID when given; 404 for the
others, so that another server of DEBUGINFOD_URLS delivers them) with FILE,
spoiled as MODE says (PREFIX: 1 MiB, or half of a smaller FILE):
  short      the first PREFIX bytes, under a Content-Length of the whole
             file (the connection closes early: a download cut off);
  truncated  the first PREFIX bytes, with a Content-Length that matches
             (a complete download of a truncated ELF);
  whole      all of FILE (e.g. an ELF with another build-id).
Each request is appended to LOGFILE.  Runs until killed.
"""
import http.server
import os
import re
import sys

PREFIX = 1 << 20


def main():
    mode, path, portfile, logfile = sys.argv[1:5]
    only = sys.argv[5] if len(sys.argv) > 5 else None
    size = os.path.getsize(path)
    with open(path, 'rb') as f:
        data = f.read() if mode == 'whole' else f.read(min(PREFIX, size // 2))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            with open(logfile, 'a') as log:
                log.write(f'GET {self.path}\n')
            m = re.fullmatch(r'/buildid/([0-9a-f]+)/debuginfo', self.path)
            if not m or (only and m.group(1) != only):
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header('Content-Type', 'application/octet-stream')
            self.send_header('Content-Length', str(size if mode == 'short' else len(data)))
            self.end_headers()
            try:
                self.wfile.write(data)
            except OSError:
                pass
            self.close_connection = True

        def log_message(self, *args):
            pass

    srv = http.server.HTTPServer(('127.0.0.1', 0), Handler)
    with open(portfile + '.tmp', 'w') as f:
        f.write(f'{srv.server_address[1]}\n')
    os.rename(portfile + '.tmp', portfile)
    srv.serve_forever()


if __name__ == '__main__':
    main()
