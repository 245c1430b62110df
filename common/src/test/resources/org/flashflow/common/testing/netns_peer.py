"""Minimal peers run inside a test network namespace (see NetNs.java).

  tls-client HOST PORT OWN TRUSTED  connect, mutual TLS, print 'connected', hold the connection
  tls-server HOST OWN TRUSTED       listen on HOST:0, print 'listening PORT'; per connection:
                                    mutual TLS, print 'accepted', hold it
  torctl HOST                       listen on HOST:0, print 'listening PORT'; answer PROTOCOLINFO
                                    (AUTH METHODS=NULL) and '250 OK' to anything else
"""
import socket
import ssl
import sys
import threading


def hold(conn):
    try:
        while conn.recv(4096):
            pass
    except OSError:
        pass


def context(server, own, trusted):
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER if server else ssl.PROTOCOL_TLS_CLIENT)
    c.check_hostname = False
    c.verify_mode = ssl.CERT_REQUIRED
    c.load_verify_locations(trusted)
    c.load_cert_chain(own)
    return c


def serve(host, handle):
    listener = socket.create_server((host, 0))
    print('listening', listener.getsockname()[1], flush=True)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


def tls_server(host, own, trusted):
    ctx = context(True, own, trusted)

    def handle(conn):
        try:
            tls = ctx.wrap_socket(conn, server_side=True)
        except OSError as e:
            print('handshake failed', e, flush=True)
            return
        print('accepted', flush=True)
        hold(tls)

    serve(host, handle)


def torctl(host):
    def handle(conn):
        f = conn.makefile('rwb')
        for line in f:
            cmd = line.decode('ascii', 'replace').strip().split(' ')[0].upper()
            if cmd == 'PROTOCOLINFO':
                f.write(b'250-PROTOCOLINFO 1\r\n250-AUTH METHODS=NULL\r\n'
                        b'250-VERSION Tor="0.4.8.10"\r\n250 OK\r\n')
            else:
                f.write(b'250 OK\r\n')
            f.flush()
            if cmd == 'AUTHENTICATE':
                print('authenticated', flush=True)

    serve(host, handle)


role = sys.argv[1]
if role == 'tls-client':
    host, port, own, trusted = sys.argv[2:6]
    tls = context(False, own, trusted).wrap_socket(socket.create_connection((host, int(port))))
    print('connected', flush=True)
    hold(tls)
elif role == 'tls-server':
    tls_server(*sys.argv[2:5])
elif role == 'torctl':
    torctl(sys.argv[2])
else:
    sys.exit('unknown role ' + role)
