"""Runs memory-tuning cases through libvirt's own Python binding (python3-libvirt) on test:///default.

The ctypes oracle (libvirt-oracle.py) reaches corners the binding cannot express (an int for a ullong, an empty
list, nparams=0); this one checks the path Python applications take. Reads {"cases": [{"setup", "params",
"flags"}]} on stdin, where params maps a name to a decimal string; writes one list of outcomes per case.
A case with "family": "scheduler" runs the scheduler calls instead (see run_scheduler_case), "family": "blkio" the
blkio calls (run_blkio_case).
"""
import json
import sys

import libvirt

libvirt.registerErrorHandler(lambda _ctx, _err: None, None)


def error(e):
    return {"error": {"code": e.get_error_code(), "domain": e.get_error_domain(), "level": e.get_error_level(),
                      "message": e.get_error_message()}}


def params(dom, flags):
    try:
        return {"ok": sorted([k, str(v)] for k, v in dom.memoryParameters(flags).items())}
    except libvirt.libvirtError as e:
        return error(e)


def outcomes(calls):
    """Each call's result as {"ok": ...}, or its libvirt error; a failed call does not stop the next."""
    out = []
    for call in calls:
        try:
            out.append({"ok": call()})
        except libvirt.libvirtError as e:
            out.append(error(e))
    return out


def run_case(case):
    conn = libvirt.open("test:///default")
    try:
        dom = conn.lookupByName("test")
        if case["setup"] == "inactive":
            dom.destroy()
        try:
            dom.setMemoryParameters({k: int(v) for k, v in case["params"].items()}, case["flags"])
            out = [{"ok": None}]
        except libvirt.libvirtError as e:
            out = [error(e)]
        return out + [params(dom, libvirt.VIR_DOMAIN_AFFECT_CONFIG)] + (
            [params(dom, libvirt.VIR_DOMAIN_AFFECT_LIVE)] if dom.isActive() else [])
    finally:
        conn.close()


def run_scheduler_case(case):
    """schedulerType, schedulerParameters[Flags] and setSchedulerParameters[Flags] (flags None: the flagless
    calls), as a Python application makes them; each outcome is [name, str(value)] pairs, or the error."""
    conn = libvirt.open("test:///default")
    try:
        dom = conn.lookupByName("test")
        if case["setup"] == "inactive":
            dom.destroy()
        flags = case["flags"]
        return outcomes([
            lambda: list(dom.schedulerType()),
            lambda: dom.setSchedulerParameters({k: int(v) for k, v in case["params"].items()}) if flags is None
            else dom.setSchedulerParametersFlags({k: int(v) for k, v in case["params"].items()}, flags),
            lambda: sorted([k, str(v)] for k, v in dom.schedulerParameters().items()),
            lambda: sorted([k, str(v)] for k, v in dom.schedulerParametersFlags(flags or 0).items()),
        ])
    finally:
        conn.close()


def run_blkio_case(case):
    """setBlkioParameters(dict, flags) as a Python application calls it (the binding asks the getter for the
    types first), then blkioParameters of the persistent and, when running, the live definition; params maps a
    name to its value as a string ("weight" converted to an int)."""
    conn = libvirt.open("test:///default")
    try:
        dom = conn.lookupByName("test")
        if case["setup"] == "inactive":
            dom.destroy()
        values = {k: int(v) if k == "weight" else v for k, v in case["params"].items()}
        calls = [lambda: dom.setBlkioParameters(values, case["flags"]),
                 lambda: sorted([k, str(v)] for k, v in dom.blkioParameters(libvirt.VIR_DOMAIN_AFFECT_CONFIG).items())]
        if dom.isActive():
            calls.append(lambda: sorted([k, str(v)] for k, v in dom.blkioParameters(libvirt.VIR_DOMAIN_AFFECT_LIVE).items()))
        return outcomes(calls)
    finally:
        conn.close()


RUNNERS = {"scheduler": run_scheduler_case, "blkio": run_blkio_case}
json.dump([RUNNERS.get(c.get("family"), run_case)(c) for c in json.load(sys.stdin)["cases"]], sys.stdout)
