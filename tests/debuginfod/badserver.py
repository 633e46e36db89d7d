#!/usr/bin/python3
"""A debuginfod impostor for the failure cases of tests/debuginfod/test.sh.

badserver.py MODE FILE PORTFILE LOGFILE: listens on 127.0.0.1 (a free port,
written to PORTFILE once listening) and answers every
GET /buildid/HEX/debuginfo with FILE, spoiled as MODE says:
  short      the first 1 MiB, under a Content-Length of the whole file
             (the connection closes early: a download cut off);
  truncated  the first 1 MiB, with a Content-Length that matches
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
    size = os.path.getsize(path)
    with open(path, 'rb') as f:
        data = f.read() if mode == 'whole' else f.read(PREFIX)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            with open(logfile, 'a') as log:
                log.write(f'GET {self.path}\n')
            if not re.fullmatch(r'/buildid/[0-9a-f]+/debuginfo', self.path):
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
