# Sourced by the benchmarks that start services on a port of their own.
# free_port: prints a TCP port free on 127.0.0.1, drawn below the kernel's ephemeral range — a port
# from that range may be taken by an outgoing connection before the service binds it.
free_port() {
    python3 - <<'PY'
import random, socket
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
for _ in range(500):
    port = random.randint(10000, low - 1)
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
    print(port)
    break
else:
    raise SystemExit("no free port below " + str(low))
PY
}
