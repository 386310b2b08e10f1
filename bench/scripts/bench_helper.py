#!/usr/bin/env python3
"""Helpers for bench.sh (issue 5): free ports, gateway setup through the management API, waiting for the
usage writer, and the final report (table + bench/results/latest.json).

Standard library only. Money is read with json's parse_float=Decimal and compared as Decimal, never float.
"""
import argparse
import datetime
import json
import os
import platform
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from decimal import Decimal

# --------------------------------------------------------------------------------------------- basics


def fail(message):
    print(f"[bench] ERROR: {message}", file=sys.stderr)
    sys.exit(1)


def load_json_text(text):
    """Money stays exact: JSON numbers with a fraction become Decimal."""
    return json.loads(text, parse_float=Decimal)


def read_json(path):
    """Files written by the bench (tool output, wrk, ours): plain floats; money fields are strings."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write_json(path, value):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2, default=_json_default)
        f.write("\n")
    os.replace(tmp, path)


def _json_default(value):
    if isinstance(value, Decimal):
        return format(value, "f")  # exact digits, as a string
    raise TypeError(f"not JSON serialisable: {type(value)}")


class Api:
    """The gateway's /api/v1 management API: the original's {code, message, data} envelope."""

    def __init__(self, base, token=None):
        self.base = base.rstrip("/")
        self.token = token

    def call(self, method, path, body=None, token=None, expect_ok=True):
        url = self.base + path
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        auth = token or self.token
        if auth:
            request.add_header("Authorization", "Bearer " + auth)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode(errors="replace")
        except (urllib.error.URLError, OSError) as e:
            fail(f"{method} {url}: {e}")
        try:
            envelope = load_json_text(text)
        except ValueError:
            fail(f"{method} {url}: HTTP {status}, not JSON: {text[:300]}")
        if expect_ok and (status >= 300 or envelope.get("code") != 0):
            fail(f"{method} {url}: HTTP {status}: {text[:500]}")
        return envelope.get("data")


# ---------------------------------------------------------------------------------------------- ports


def cmd_ports(args):
    """N distinct free loopback ports (all bound at once so they differ)."""
    sockets = []
    try:
        for _ in range(args.count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        print(" ".join(str(s.getsockname()[1]) for s in sockets))
    finally:
        for s in sockets:
            s.close()


# ---------------------------------------------------------------------------------------------- setup


def cmd_setup(args):
    """Admin login; groups json/sse/idle with one API-key account each; one user; keys. Writes setup.json."""
    api = Api(args.gateway)
    login = api.call("POST", "/api/v1/auth/login", {"email": args.admin_email, "password": args.admin_password})
    api.token = login["access_token"]

    upstreams = {
        "json": f"http://127.0.0.1:{args.fake_port}/json",
        "sse": f"http://127.0.0.1:{args.fake_port}/sse",
        "idle": f"http://127.0.0.1:{args.idle_port}",
    }
    groups, accounts = {}, {}
    for name, base_url in upstreams.items():
        group = api.call("POST", "/api/v1/admin/groups",
                         {"name": f"bench-{name}", "platform": "anthropic", "rate_multiplier": 1})
        groups[name] = group["id"]
        account = api.call("POST", "/api/v1/admin/accounts", {
            "name": f"bench-{name}", "platform": "anthropic", "type": "apikey", "group_ids": [group["id"]],
            "concurrency": args.concurrency,
            "credentials": {"api_key": "sk-ant-bench-not-a-real-key", "base_url": base_url},
        })
        accounts[name] = account["id"]
        if account.get("concurrency") != args.concurrency:
            fail(f"account {name}: concurrency is {account.get('concurrency')}, wanted {args.concurrency}")

    email, password = "bench@example.com", "bench-password-123"
    user = api.call("POST", "/api/v1/admin/users", {
        "email": email, "password": password, "balance": int(args.balance), "concurrency": args.concurrency,
    })
    if user.get("concurrency") != args.concurrency:
        fail(f"user concurrency is {user.get('concurrency')}, wanted {args.concurrency}")
    user_token = api.call("POST", "/api/v1/auth/login", {"email": email, "password": password})["access_token"]

    keys = {}
    # "exact" has its own key (in the json group) so its usage rows can be counted alone.
    for name, group in (("json", "json"), ("sse", "sse"), ("idle", "idle"), ("exact", "json")):
        key = api.call("POST", "/api/v1/keys", {"name": f"bench-{name}", "group_id": groups[group]}, token=user_token)
        keys[name] = {"id": key["id"], "key": key["key"], "group": group}

    openai_error = setup_openai(api, args, user_token, groups, accounts, keys, upstreams)

    start = api.call("GET", f"/api/v1/admin/users/{user['id']}")
    setup = {
        "gateway": args.gateway, "admin_token": api.token, "user_id": user["id"],
        "start_balance": start["balance"], "groups": groups, "accounts": accounts, "keys": keys,
        "upstreams": upstreams, "openai_setup_error": openai_error,
    }
    write_json(args.out, setup)
    print(f"[bench] configured: groups {groups}, accounts {accounts}, user {user['id']} "
          f"(balance {start['balance']}), keys {[k for k in keys]}", file=sys.stderr)


def setup_openai(api, args, user_token, groups, accounts, keys, upstreams):
    """
    Group bench-openai with one OpenAI API-key account whose base_url is the nginx OpenAI fake, and key "oai".
    Optional: a gateway that refuses any step gets no OpenAI rows (returns why), the rest of the bench goes on.
    """
    base_url = f"http://127.0.0.1:{args.fake_port}/oai"

    def step(what, method, path, body, token=None):
        data = api.call(method, path, body, token=token, expect_ok=False)
        if not isinstance(data, dict) or "id" not in data:
            raise RuntimeError(f"{what} refused: {str(data)[:200]}")
        return data

    try:
        group = step("group", "POST", "/api/v1/admin/groups",
                     {"name": "bench-openai", "platform": "openai", "rate_multiplier": 1})
        account = step("account", "POST", "/api/v1/admin/accounts", {
            "name": "bench-openai", "platform": "openai", "type": "apikey", "group_ids": [group["id"]],
            "concurrency": args.concurrency,
            "credentials": {"api_key": "sk-openai-bench-not-a-real-key", "base_url": base_url},
        })
        key = step("key", "POST", "/api/v1/keys", {"name": "bench-oai", "group_id": group["id"]}, token=user_token)
    except RuntimeError as e:
        print(f"[bench] OpenAI setup skipped: {e}", file=sys.stderr)
        return str(e)
    groups["oai"], accounts["oai"], upstreams["oai"] = group["id"], account["id"], base_url
    keys["oai"] = {"id": key["id"], "key": key["key"], "group": "oai"}
    return None


def cmd_key(args):
    keys = read_json(args.setup)["keys"]
    if args.name in keys:
        print(keys[args.name]["key"])
    elif not args.optional:
        fail(f"no key {args.name} in {args.setup}")


# --------------------------------------------------------------------------------------------- settle


def usage_stats(api, api_key_id=None):
    query = f"?api_key_id={api_key_id}" if api_key_id is not None else ""
    return api.call("GET", "/api/v1/admin/usage/stats" + query)


def cmd_settle(args):
    """
    Polls usage stats until the writer has caught up: total_requests reaches --expect (or at least --min)
    and then stays unchanged for --stable seconds. Deadline --deadline seconds. Writes the last stats.
    """
    setup = read_json(args.setup)
    api = Api(setup["gateway"], setup["admin_token"])
    key_id = setup["keys"][args.key]["id"] if args.key else None
    target = args.expect if args.expect is not None else args.min
    started = time.monotonic()
    last_count, last_change = None, started
    reached_at = None
    history = []
    while True:
        stats = usage_stats(api, key_id)
        count = int(stats["total_requests"])
        now = time.monotonic()
        history.append([round(now - started, 2), count])
        if count != last_count:
            last_count, last_change = count, now
        if count >= target and reached_at is None:
            reached_at = now - started
        stable_for = now - last_change
        if count >= target and stable_for >= args.stable:
            timed_out = False
            break
        if now - started > args.deadline:
            timed_out = True
            break
        time.sleep(0.2)
    result = {
        "key": args.key, "target": target, "exact_expected": args.expect is not None,
        "total_requests": count, "stats": stats, "waited_s": round(time.monotonic() - started, 2),
        "reached_target_after_s": None if reached_at is None else round(reached_at, 2),
        "timed_out": timed_out, "history": history[-50:],
    }
    if args.balance:
        user = api.call("GET", f"/api/v1/admin/users/{setup['user_id']}")
        result["balance"] = user["balance"]
    write_json(args.out, result)
    state = "TIMED OUT" if timed_out else "settled"
    print(f"[bench] usage rows{' for key ' + args.key if args.key else ''}: {count} (target {target}), "
          f"{state} after {result['waited_s']} s", file=sys.stderr)


# ------------------------------------------------------------------------------------------- quiesce


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cmd_quiesce(args):
    """Waits until the process uses < --max-cpu of one core over --window s (its background work after a
    load, e.g. the usage writer, must not leak into the next measurement). Gives up after --deadline s."""
    started = time.monotonic()
    try:
        last = cpu_seconds(args.pid)
        while True:
            time.sleep(args.window)
            now = cpu_seconds(args.pid)
            busy = (now - last) / args.window
            last = now
            if busy < args.max_cpu:
                break
            if time.monotonic() - started > args.deadline:
                print(f"[bench]   gateway still busy ({busy:.0%} CPU) after {args.deadline:.0f} s; going on",
                      file=sys.stderr)
                break
    except OSError:
        fail(f"process {args.pid} is gone")
    waited = time.monotonic() - started
    if waited > 2 * args.window + 0.2:
        print(f"[bench]   (gateway busy after the load for {waited:.1f} s)", file=sys.stderr)
    if args.record:
        with open(args.record, "a", encoding="utf-8") as f:
            f.write(json.dumps({"waited_s": round(waited, 2)}) + "\n")


# --------------------------------------------------------------------------------------------- report


def fixture_usage(fixtures):
    """The usage the fake upstream reports, from the fixtures themselves (JSON body and SSE stream)."""
    with open(os.path.join(fixtures, "response.json"), encoding="utf-8") as f:
        body = json.load(f)
    json_usage = {k: int(v) for k, v in body["usage"].items()}
    sse_usage = {}
    with open(os.path.join(fixtures, "response.sse"), encoding="utf-8") as f:
        for line in f:
            if not line.startswith("data:"):
                continue
            event = json.loads(line[5:])
            if event.get("type") == "message_start":
                sse_usage.update({k: int(v) for k, v in event["message"]["usage"].items() if k != "output_tokens"})
            elif event.get("type") == "message_delta":
                sse_usage["output_tokens"] = int(event["usage"]["output_tokens"])
    return json_usage, sse_usage


def machine_info():
    def run(*cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.strip() or \
                subprocess.run(cmd, capture_output=True, text=True, timeout=20).stderr.strip()
        except (OSError, subprocess.SubprocessError):
            return None

    cpu = None
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_kb = None
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem_kb = int(line.split()[1])
    except OSError:
        pass
    nginx = run("nginx", "-v")
    wrk = run("wrk", "--version")
    return {
        "nproc": os.cpu_count(), "cpu_model": cpu,
        "ram_gib": None if mem_kb is None else round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(), "os": _os_release(), "dotnet": run("dotnet", "--version"),
        "nginx": nginx.splitlines()[0] if nginx else None,
        "wrk": wrk.splitlines()[0] if wrk else None,
    }


def _os_release():
    try:
        with open("/etc/os-release", encoding="utf-8") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return None


def ms(us):
    return None if us is None else round(us / 1000.0, 3)


def load_wrk(directory, name):
    path = os.path.join(directory, f"wrk-{name}.json")
    if not os.path.exists(path):
        return None
    raw = read_json(path)
    requests = int(raw["requests"])
    seconds = int(raw["duration_us"]) / 1e6
    non2xx = int(raw["errors_status"])
    socket_errors = sum(int(raw[k]) for k in ("errors_connect", "errors_read", "errors_write", "errors_timeout"))
    return {
        "connections": int(raw["connections"]), "threads": int(raw["threads"]), "duration_s": round(seconds, 2),
        "requests": requests, "ok_2xx": requests - non2xx, "non_2xx": non2xx, "socket_errors": socket_errors,
        "errors": {k[7:]: int(raw[k]) for k in raw if k.startswith("errors_")},
        "rps": round(requests / seconds, 1) if seconds > 0 else None,
        "p50_ms": ms(int(raw["lat_p50_us"])), "p90_ms": ms(int(raw["lat_p90_us"])),
        "p99_ms": ms(int(raw["lat_p99_us"])), "max_ms": ms(int(raw["lat_max_us"])),
        "mean_ms": round(float(raw["lat_mean_us"]) / 1000, 3),
    }


def cmd_report(args):
    d = args.dir
    meta = read_json(os.path.join(d, "meta.json"))
    setup = read_json(os.path.join(d, "setup.json"))
    targets = ("direct", "proxy", "gateway")
    results = {"scenarios": {}, "ttfb": {}, "warmups": {}}
    # "floor": the minimal .NET forwarder (bench-tool forward), JSON at 32/256 connections only.

    # wrk runs: wrk-<scenario>-<target>-c<conns>.json, warm-ups wrk-warmup-<scenario>-<target>.json
    oai_conns = meta.get("oai_connections", [])
    for scenario, conns_list in (("json", meta["connections"]), ("sse", meta["connections"]),
                                 ("oai_responses_sse", oai_conns), ("oai_chat_json", oai_conns)):
        for conns in conns_list:
            row = {}
            for target in (*targets, "floor"):
                run = load_wrk(d, f"{scenario}-{target}-c{conns}")
                if run is not None:
                    row[target] = run
            if row:
                results["scenarios"][f"{scenario}_c{conns}"] = row
        for target in targets:
            run = load_wrk(d, f"warmup-{scenario}-{target}")
            if run is not None:
                results["warmups"][f"{scenario}_{target}"] = run
    for target in targets:
        path = os.path.join(d, f"ttfb-{target}.json")
        if os.path.exists(path):
            results["ttfb"][target] = read_json(path)
    idle = read_json(os.path.join(d, "idle.json")) if os.path.exists(os.path.join(d, "idle.json")) else None
    exact = read_json(os.path.join(d, "exact.json")) if os.path.exists(os.path.join(d, "exact.json")) else None
    exact_rows = read_json(os.path.join(d, "settle-exact.json")) if exact else None
    final = read_json(os.path.join(d, "settle-global.json"))

    # ---- billing: every 2xx the gateway gave has a row; no row without a request; balance identity
    gateway_wrk = [r["gateway"] for r in results["scenarios"].values() if "gateway" in r]
    gateway_wrk += [v for k, v in results["warmups"].items() if k.endswith("_gateway")]
    wrk_ok = sum(r["ok_2xx"] for r in gateway_wrk)
    wrk_in_flight_bound = sum(r["connections"] for r in gateway_wrk)
    ttfb_ok = 0
    if "gateway" in results["ttfb"]:
        t = results["ttfb"]["gateway"]
        ttfb_ok = int(t["ok"]) + int(t.get("warmup_ok", 0))  # warm-up requests are billed too
    idle_ok = int(idle["completed"]) + int(idle.get("warmup_completed", 0)) if idle else 0
    exact_ok = int(exact["ok"]) if exact else 0
    preflight_path = os.path.join(d, "preflight.json")
    preflight_ok = int(read_json(preflight_path)["ok"]) if os.path.exists(preflight_path) else 0
    answered = wrk_ok + ttfb_ok + idle_ok + exact_ok + preflight_ok
    sent_bound = answered + wrk_in_flight_bound + (int(idle["errors"]) if idle else 0)
    rows = int(final["total_requests"])
    stats = final["stats"]
    total_actual = Decimal(str(stats["total_actual_cost"]))
    start_balance = Decimal(str(setup["start_balance"]))
    balance = Decimal(str(final["balance"]))
    json_usage, sse_usage = fixture_usage(args.fixtures)
    per_row_tokens = {
        "input_tokens": json_usage["input_tokens"], "output_tokens": json_usage["output_tokens"],
        "cache_read_tokens": json_usage.get("cache_read_input_tokens", 0),
    }
    token_check = {
        "input_tokens": [int(stats["total_input_tokens"]), rows * per_row_tokens["input_tokens"]],
        "output_tokens": [int(stats["total_output_tokens"]), rows * per_row_tokens["output_tokens"]],
        "cache_read_tokens": [int(stats["total_cache_read_tokens"]), rows * per_row_tokens["cache_read_tokens"]],
    }
    billing = {
        "fixture_usage": {"json": json_usage, "sse": sse_usage},
        "usage_rows": rows,
        "answered_2xx": answered,
        "answered_2xx_by_source": {"wrk": wrk_ok, "ttfb": ttfb_ok, "idle": idle_ok, "exact": exact_ok,
                                   "preflight": preflight_ok},
        "wrk_cut_in_flight_bound": wrk_in_flight_bound,
        "lost": max(0, answered - rows),
        "double_billed": max(0, rows - sent_bound),
        "billed_after_client_cut": max(0, min(rows, sent_bound) - answered),
        "start_balance": start_balance, "final_balance": balance, "total_actual_cost": total_actual,
        "balance_identity_holds": balance == start_balance - total_actual,
        "balance_discrepancy": balance - (start_balance - total_actual),
        "cost_per_row": (total_actual / rows) if rows else None,
        "tokens_match_fixture": all(a == b for a, b in token_check.values()),
        "tokens_actual_vs_expected": token_check,
        "writer_settle_s": final["waited_s"], "writer_timed_out": final["timed_out"],
    }
    if exact:
        exact_count = int(exact_rows["total_requests"])
        billing["exact"] = {
            "sent": int(exact["count"]), "ok": exact_ok, "failed": int(exact["failed"]),
            "statuses": exact["statuses"], "usage_rows": exact_count,
            "lost": max(0, exact_ok - exact_count), "double_billed": max(0, exact_count - exact_ok),
            "rows_reached_after_s": exact_rows["reached_target_after_s"],
            "writer_timed_out": exact_rows["timed_out"],
            "requests_per_s": exact["requests_per_s"],
        }
    results["idle"] = idle
    results["billing"] = billing
    busy_path = os.path.join(d, "busy-after-load.jsonl")
    if os.path.exists(busy_path):
        with open(busy_path, encoding="utf-8") as f:
            # seconds the gateway kept a core >5% busy before each measurement (JIT, GC, usage writes)
            results["gateway_busy_before_each_run_s"] = [json.loads(line)["waited_s"] for line in f if line.strip()]

    # ---- the issue-5 targets
    def get(scenario, target, field):
        return results["scenarios"].get(scenario, {}).get(target, {}).get(field)

    checks = {}
    direct_p50, gw_p50 = get("json_c1", "direct", "p50_ms"), get("json_c1", "gateway", "p50_ms")
    added_p50 = None if None in (direct_p50, gw_p50) else round(gw_p50 - direct_p50, 3)
    checks["added_sequential_p50_ms"] = {"target": "<= 0.25", "value": added_p50,
                                         "pass": added_p50 is not None and added_p50 <= 0.25}
    proxy_rps, gw_rps = get("json_c32", "proxy", "rps"), get("json_c32", "gateway", "rps")
    ratio = None if not proxy_rps or gw_rps is None else round(gw_rps / proxy_rps, 3)
    floor_rps = get("json_c32", "floor", "rps")
    checks["throughput_32_vs_nginx_proxy"] = {"target": ">= 0.5", "value": ratio,
                                              "gateway_rps": gw_rps, "proxy_rps": proxy_rps,
                                              "dotnet_floor_rps": floor_rps,
                                              "dotnet_floor_vs_nginx_proxy": None if not proxy_rps or floor_rps is None
                                              else round(floor_rps / proxy_rps, 3),
                                              "gateway_vs_dotnet_floor": None if not floor_rps or gw_rps is None
                                              else round(gw_rps / floor_rps, 3),
                                              "pass": ratio is not None and ratio >= 0.5}
    t_direct, t_gw = results["ttfb"].get("direct"), results["ttfb"].get("gateway")
    added_ttfb = None if not (t_direct and t_gw) else round(float(t_gw["ttfb_p99_ms"]) - float(t_direct["ttfb_p99_ms"]), 3)
    checks["added_sse_ttfb_p99_ms"] = {"target": "<= 2", "value": added_ttfb,
                                       "errors": None if not t_gw else int(t_gw["errors"]),
                                       "pass": added_ttfb is not None and added_ttfb <= 2 and int(t_gw["errors"]) == 0}
    # The live managed heap after a full GC (per stream), which the GC's timing does not move; RSS when the
    # gateway could not be asked for a GC. RSS is printed next to it either way.
    per_stream = None if not idle else float(idle["live_heap_per_open_stream_kb"] if idle.get("live_heap_per_open_stream_kb") is not None
                                               else idle["memory_per_stream_kb"])
    checks["idle_stream_memory_kb"] = {"target": "<= 32 (and no errors)", "value": per_stream,
                                       "measure": None if not idle else ("live heap after a full GC" if idle.get("live_heap_per_open_stream_kb") is not None else "RSS"),
                                       "streams": None if not idle else int(idle["streams"]),
                                       "errors": None if not idle else int(idle["errors"]),
                                       "pass": bool(idle) and per_stream is not None and 0 <= per_stream <= 32
                                       and int(idle["errors"]) == 0}
    exact_b = billing.get("exact", {})
    lost = billing["lost"] + exact_b.get("lost", 0)
    double = billing["double_billed"] + exact_b.get("double_billed", 0)
    checks["billing_exact"] = {
        "target": "0 lost, 0 double-billed, balance == start - sum(actual_cost)",
        "lost": lost, "double_billed": double, "balance_identity_holds": billing["balance_identity_holds"],
        "pass": lost == 0 and double == 0 and billing["balance_identity_holds"] and bool(exact_b)
        and not billing["writer_timed_out"] and not exact_b.get("writer_timed_out", True),
    }

    report = {
        "tool": "bench.sh (issue 5)", "mode": meta["mode"],
        "date": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
        "git_commit": meta.get("git_commit"), "machine": machine_info(), "settings": meta, "results": results,
        "targets": checks, "all_targets_pass": all(c["pass"] for c in checks.values()),
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    write_json(args.out, report)
    print_table(report)
    print(f"\nwritten: {os.path.relpath(args.out)}")


def fmt(value, digits=3):
    if value is None:
        return "-"
    if isinstance(value, str):  # "n/a": not measured on purpose
        return value
    if isinstance(value, float) and digits == 0:
        return f"{value:,.0f}"
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return f"{value:,}"
    return f"{value:.{digits}f}"


def print_table(report):
    r = report["results"]
    m = report["machine"]
    s = report["settings"]
    print()
    print(f"Sub2Api bench ({report['mode']}, {s['duration_s']} s per load point) — {report['date']}")
    print(f"machine: {m['nproc']} cores, {m['cpu_model']}, {m['ram_gib']} GiB, kernel {m['kernel']}, "
          f".NET SDK {m['dotnet']}")
    print(f"All on one machine: wrk, nginx and the gateway share the cores "
          f"(load average at start {s.get('loadavg_at_start')}, at end {s.get('loadavg_at_end')}).")
    try:
        if float(str(s.get("loadavg_at_start", "0")).split()[0]) > (m["nproc"] or 1):
            print("WARNING: other processes were busy on this machine; tails and throughput are noisy.")
    except ValueError:
        pass
    print()
    header = f"{'scenario':<34}{'direct':>12}{'nginx proxy':>13}{'gateway':>12}{'gw added':>11}  notes"
    print(header)
    print("-" * len(header))

    def row(label, values, added=None, note="", digits=3):
        cells = [fmt(v, digits) for v in values]
        added_text = "-" if added is None else (f"{added:+.{digits}f}" if digits else f"{added:+,.0f}")
        print(f"{label:<34}{cells[0]:>12}{cells[1]:>13}{cells[2]:>12}{added_text:>11}  {note}")

    targets = ("direct", "proxy", "gateway")
    oai_conns = s.get("oai_connections", [])
    # Without the gateway's OpenAI routes the OpenAI rows have direct and proxy only: the gateway column says n/a.
    oai_na = "n/a" if s.get("oai_gateway") != "yes" else None
    for scenario, title, conns_list, missing in (
            ("json", "JSON", s["connections"], None), ("sse", "SSE", s["connections"], None),
            ("oai_responses_sse", "Resp SSE", oai_conns, oai_na), ("oai_chat_json", "Chat JSON", oai_conns, oai_na)):
        for conns in conns_list:
            data = r["scenarios"].get(f"{scenario}_c{conns}")
            if not data:
                continue
            if missing and "gateway" not in data:
                data = {**data, "gateway": {"p50_ms": missing, "p99_ms": missing, "rps": missing}}
            problems = []
            for t in targets:
                if t in data and (data[t].get("non_2xx") or data[t].get("socket_errors")):
                    problems.append(f"{t}: {data[t]['non_2xx']} non-2xx, {data[t]['socket_errors']} socket errors")
            if missing and data["gateway"].get("rps") == missing:
                problems.append(f"gateway n/a: {s.get('oai_gateway_why')}")
            note = "; ".join(problems)
            vals = lambda f: [data.get(t, {}).get(f) for t in targets]  # noqa: E731
            if conns == 1:
                p50, p99 = vals("p50_ms"), vals("p99_ms")
                row(f"{title} 1 conn p50 latency ms", p50, _diff(p50), note)
                row(f"{title} 1 conn p99 latency ms", p99, _diff(p99))
            else:
                rps = vals("rps")
                measured = rps[2] is not None and not isinstance(rps[2], str)
                ratio = None if not rps[1] or not measured else rps[2] / rps[1]
                floor = data.get("floor", {}).get("rps")
                floor_note = "" if not floor or not rps[1] or not measured else \
                    f"; .NET floor {floor:,.0f} = {floor / rps[1]:.2f} x proxy, gateway = {rps[2] / floor:.2f} x floor"
                row(f"{title} {conns} conns req/s", [float(x) if isinstance(x, (int, float)) else x for x in rps], None,
                    "; ".join(x for x in ((f"gateway = {ratio:.2f} x proxy" if ratio else "") + floor_note, note) if x), digits=0)
                row(f"{title} {conns} conns p99 latency ms", vals("p99_ms"), _diff(vals("p99_ms")))
    ttfb = r["ttfb"]
    if ttfb:
        for q in ("p50", "p99"):
            v = [float(ttfb[t][f"ttfb_{q}_ms"]) if t in ttfb else None for t in targets]
            errors = ", ".join(f"{t} {ttfb[t]['errors']} errors" for t in targets if t in ttfb and int(ttfb[t]["errors"]))
            row(f"SSE time to first byte {q} ms", v, _diff(v), errors)
    idle = r.get("idle")
    if idle:
        if idle.get("live_heap_per_open_stream_kb") is not None:
            row("idle streams: live heap kB/stream", [None, None, float(idle["live_heap_per_open_stream_kb"])],
                None, f"{idle['streams']} open; after a full GC {int(idle['live_heap_before_kb']) // 1024} -> "
                f"{int(idle['live_heap_open_kb']) // 1024} MiB",
                digits=2)
        row("idle streams: RSS kB/stream", [None, None, float(idle["memory_per_stream_kb"])], None,
            f"{idle['errors']} errors"
            + (f" ({idle['not_open_when_measured']} not open after {idle['open_seconds']} s: {idle['open_stopped_because']}; "
               f"{idle['memory_per_open_stream_kb']} kB per open stream)"
               if int(idle.get("not_open_when_measured", 0)) else "")
            + f"; RSS {int(idle['rss_before_kb']) // 1024} -> {int(idle['rss_open_kb']) // 1024} MiB; "
            f"threads {idle['threads_before']} -> {idle['threads_open']}", digits=2)

    b = r["billing"]
    print("\nbilling check")
    if "exact" in b:
        e = b["exact"]
        print(f"  exact run: {e['sent']} sent, {e['ok']} 2xx, {e['failed']} failed {dict(e['statuses'])}; "
              f"usage rows {e['usage_rows']} -> lost {e['lost']}, double-billed {e['double_billed']} "
              f"(rows complete after {e['rows_reached_after_s']} s)")
    print(f"  all runs: {b['usage_rows']} usage rows for {b['answered_2xx']} answered 2xx "
          f"(+ up to {b['wrk_cut_in_flight_bound']} cut in flight by wrk: {b['billed_after_client_cut']} of those billed) "
          f"-> lost {b['lost']}, double-billed {b['double_billed']}")
    print(f"  balance {b['final_balance']} == {b['start_balance']} - {b['total_actual_cost']}: "
          f"{'yes' if b['balance_identity_holds'] else 'NO (off by ' + str(b['balance_discrepancy']) + ')'}; "
          f"tokens per row as the fixture says: {'yes' if b['tokens_match_fixture'] else 'NO'}; "
          f"writer settled in {b['writer_settle_s']} s{' (TIMED OUT)' if b['writer_timed_out'] else ''}")

    print("\nissue-5 targets")
    for name, c in report["targets"].items():
        value = c.get("value", "")
        if name == "billing_exact":
            value = f"lost {c['lost']}, double-billed {c['double_billed']}, balance identity {c['balance_identity_holds']}"
        print(f"  {'PASS' if c['pass'] else 'FAIL'}  {name:<32} {value}  (target {c['target']})")


def _diff(values):
    if values[0] is None or values[2] is None or isinstance(values[2], str):
        return None
    return float(values[2]) - float(values[0])


# ----------------------------------------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ports")
    p.add_argument("count", type=int)
    p.set_defaults(func=cmd_ports)

    p = sub.add_parser("setup")
    p.add_argument("--gateway", required=True)
    p.add_argument("--admin-email", default="admin@sub2api.local")
    p.add_argument("--admin-password", required=True)
    p.add_argument("--fake-port", type=int, required=True)
    p.add_argument("--idle-port", type=int, required=True)
    p.add_argument("--concurrency", type=int, default=100000)
    p.add_argument("--balance", type=int, default=1000000)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_setup)

    p = sub.add_parser("key")
    p.add_argument("--setup", required=True)
    p.add_argument("name")
    p.add_argument("--optional", action="store_true", help="print nothing (instead of failing) when the key is missing")
    p.set_defaults(func=cmd_key)

    p = sub.add_parser("settle")
    p.add_argument("--setup", required=True)
    p.add_argument("--key", help="count only this bench key's rows (json, sse, idle, exact)")
    p.add_argument("--expect", type=int, help="the exact row count to wait for")
    p.add_argument("--min", type=int, default=0, help="wait for at least this many rows")
    p.add_argument("--stable", type=float, default=2.0, help="seconds without change before settling")
    p.add_argument("--deadline", type=float, default=60.0)
    p.add_argument("--balance", action="store_true", help="also read the bench user's balance")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_settle)

    p = sub.add_parser("quiesce")
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--max-cpu", type=float, default=0.05)
    p.add_argument("--window", type=float, default=0.5)
    p.add_argument("--deadline", type=float, default=20.0)
    p.add_argument("--record", help="append the wait to this JSON-lines file")
    p.set_defaults(func=cmd_quiesce)

    p = sub.add_parser("answered", help="2xx the gateway gave so far (wrk, ttfb, idle, exact)")
    p.add_argument("--dir", required=True)
    p.set_defaults(func=cmd_answered)

    p = sub.add_parser("report")
    p.add_argument("--dir", required=True)
    p.add_argument("--fixtures", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_report)

    args = parser.parse_args()
    args.func(args)


def cmd_answered(args):
    d = args.dir
    total = 0
    for name in os.listdir(d):
        if name.startswith("wrk-") and "-gateway" in name and name.endswith(".json"):
            run = load_wrk(d, name[4:-5])
            total += run["ok_2xx"]
    for name, fields in (("ttfb-gateway.json", ("ok", "warmup_ok")), ("idle.json", ("completed", "warmup_completed")),
                         ("exact.json", ("ok",)), ("preflight.json", ("ok",))):
        path = os.path.join(d, name)
        if os.path.exists(path):
            data = read_json(path)
            total += sum(int(data.get(field, 0)) for field in fields)
    print(total)


if __name__ == "__main__":
    main()
