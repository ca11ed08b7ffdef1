"""Runs scripted cases against libvirt's own test driver (test:///default) and prints what happened, as JSON.

The one oracle of the differential tests (its TypeScript side is libvirt-oracle.ts): each case is a list of steps run on a fresh connection. libvirt is called
through ctypes, not the Python binding, so typed parameters of any type (an int where a ullong is expected),
empty lists and nparams=0 reach libvirt exactly as a C caller would send them.
Reads {"cases": [[step, ...], ...]} on stdin; writes [[outcome, ...], ...] on stdout.
"""
import ctypes
import json
import sys

lv = ctypes.CDLL("libvirt.so.0")
P = ctypes.c_void_p


class TypedParam(ctypes.Structure):
    _fields_ = [("field", ctypes.c_char * 80), ("type", ctypes.c_int), ("value", ctypes.c_ulonglong)]


class Err(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("domain", ctypes.c_int), ("message", ctypes.c_char_p), ("level", ctypes.c_int)]


def sig(name, res, *args):
    f = getattr(lv, name)
    f.restype = res
    f.argtypes = list(args)
    return f


virConnectOpen = sig("virConnectOpen", P, ctypes.c_char_p)
virConnectClose = sig("virConnectClose", ctypes.c_int, P)
virDomainLookupByName = sig("virDomainLookupByName", P, P, ctypes.c_char_p)
virDomainFree = sig("virDomainFree", ctypes.c_int, P)
virDomainSetMemoryParameters = sig("virDomainSetMemoryParameters", ctypes.c_int, P, P, ctypes.c_int, ctypes.c_uint)
virDomainGetMemoryParameters = sig(
    "virDomainGetMemoryParameters", ctypes.c_int, P, P, ctypes.POINTER(ctypes.c_int), ctypes.c_uint
)
virDomainSetBlkioParameters = sig("virDomainSetBlkioParameters", ctypes.c_int, P, P, ctypes.c_int, ctypes.c_uint)
virDomainGetBlkioParameters = sig(
    "virDomainGetBlkioParameters", ctypes.c_int, P, P, ctypes.POINTER(ctypes.c_int), ctypes.c_uint
)
virDomainGetSchedulerType = sig("virDomainGetSchedulerType", ctypes.c_void_p, P, ctypes.POINTER(ctypes.c_int))
virDomainGetSchedulerParameters = sig("virDomainGetSchedulerParameters", ctypes.c_int, P, P, ctypes.POINTER(ctypes.c_int))
virDomainGetSchedulerParametersFlags = sig(
    "virDomainGetSchedulerParametersFlags", ctypes.c_int, P, P, ctypes.POINTER(ctypes.c_int), ctypes.c_uint
)
virDomainSetSchedulerParameters = sig("virDomainSetSchedulerParameters", ctypes.c_int, P, P, ctypes.c_int)
virDomainSetSchedulerParametersFlags = sig(
    "virDomainSetSchedulerParametersFlags", ctypes.c_int, P, P, ctypes.c_int, ctypes.c_uint
)
virDomainSetMemoryFlags = sig("virDomainSetMemoryFlags", ctypes.c_int, P, ctypes.c_ulong, ctypes.c_uint)
virDomainCreate = sig("virDomainCreate", ctypes.c_int, P)
virDomainDestroy = sig("virDomainDestroy", ctypes.c_int, P)
virDomainUndefine = sig("virDomainUndefine", ctypes.c_int, P)
virDomainDefineXML = sig("virDomainDefineXML", P, P, ctypes.c_char_p)
virDomainCreateXML = sig("virDomainCreateXML", P, P, ctypes.c_char_p, ctypes.c_uint)
virDomainGetXMLDesc = sig("virDomainGetXMLDesc", ctypes.c_void_p, P, ctypes.c_uint)
libc = ctypes.CDLL("libc.so.6")
libc.free.argtypes = [P]
virGetLastError = sig("virGetLastError", ctypes.POINTER(Err))
virResetLastError = sig("virResetLastError", None)
ERROR_FUNC = ctypes.CFUNCTYPE(None, P, P)(lambda _u, _e: None)  # keep a reference: libvirt calls it
lv.virSetErrorFunc(None, ERROR_FUNC)


STRING = 7
# Each family's setter and getter: a step's "family" picks one (memory when absent).
FAMILIES = {
    "memory": (virDomainSetMemoryParameters, virDomainGetMemoryParameters),
    "blkio": (virDomainSetBlkioParameters, virDomainGetBlkioParameters),
}


def last_error():
    e = virGetLastError().contents
    return {"error": {"code": e.code, "domain": e.domain, "level": e.level, "message": e.message.decode()}}


def get_params(dom, flags, getter):
    n = ctypes.c_int(0)
    if getter(dom, None, ctypes.byref(n), flags) < 0:
        return last_error()
    arr = (TypedParam * max(n.value, 1))()
    if getter(dom, arr, ctypes.byref(n), flags) < 0:
        return last_error()
    return {"ok": [[arr[i].field.decode(), arr[i].type, param_value(arr[i])] for i in range(n.value)]}


def param_value(p):
    """A typed parameter's value as a decimal string read from its union as its type says, or the string itself."""
    if p.type == STRING:
        return ctypes.string_at(p.value).decode() if p.value else ""
    v = p.value
    if p.type in (1, 2):  # int, uint: the union's first four bytes
        v &= 0xFFFFFFFF
        return str(v - (1 << 32) if p.type == 1 and v >= 1 << 31 else v)
    if p.type == 3:  # llong
        return str(v - (1 << 64) if v >= 1 << 63 else v)
    return str(v)


def param_array(ps):
    """The C array of `ps`, and the strings' buffers, which must outlive the call."""
    arr = (TypedParam * max(len(ps), 1))()
    keep = []
    for i, (field, typ, value) in enumerate(ps):
        arr[i].field = field.encode()
        arr[i].type = typ
        if typ == STRING:
            keep.append(ctypes.create_string_buffer(value.encode()))
            arr[i].value = ctypes.addressof(keep[-1])
        else:
            arr[i].value = int(value) & 0xFFFFFFFFFFFFFFFF
    return arr, keep


def scheduler_step(dom, step):
    """stype, sget and sset: flags None is the flagless call (virDomainGet/SetSchedulerParameters)."""
    op, flags = step["op"], step.get("flags")
    if op == "stype":
        n = ctypes.c_int(0)
        ptr = virDomainGetSchedulerType(dom, ctypes.byref(n))
        if not ptr:
            return last_error()
        text = ctypes.string_at(ptr).decode()
        libc.free(ptr)
        return {"ok": [text, n.value]}
    if op == "sget":
        n = ctypes.c_int(16)
        arr = (TypedParam * 16)()
        rc = (virDomainGetSchedulerParameters(dom, arr, ctypes.byref(n)) if flags is None
              else virDomainGetSchedulerParametersFlags(dom, arr, ctypes.byref(n), flags))
        if rc < 0:
            return last_error()
        return {"ok": [[arr[i].field.decode(), arr[i].type, param_value(arr[i])] for i in range(n.value)]}
    ps = step["params"]
    arr, _keep = param_array(ps)
    rc = (virDomainSetSchedulerParameters(dom, arr, len(ps)) if flags is None
          else virDomainSetSchedulerParametersFlags(dom, arr, len(ps), flags))
    return last_error() if rc < 0 else {"ok": None}


def run_step(conn, doms, step):
    virResetLastError()
    op = step["op"]
    if op == "define":
        d = virDomainDefineXML(conn, step["xml"].encode())
        if not d:
            return last_error()
        virDomainFree(d)
        return {"ok": None}
    if op == "kept":
        # What libvirt keeps of a definition: define, dump the inactive XML, undefine.
        d = virDomainDefineXML(conn, step["xml"].encode())
        if not d:
            return last_error()
        ptr = virDomainGetXMLDesc(d, 2)  # VIR_DOMAIN_XML_INACTIVE
        text = ctypes.string_at(ptr).decode()
        libc.free(ptr)
        virDomainUndefine(d)
        virDomainFree(d)
        return {"ok": text}
    if op == "createXML":
        d = virDomainCreateXML(conn, step["xml"].encode(), 0)
        if not d:
            return last_error()
        virDomainFree(d)
        return {"ok": None}
    name = step.get("dom", "test")
    if name not in doms:
        d = virDomainLookupByName(conn, name.encode())
        if not d:
            return last_error()
        doms[name] = d
    dom = doms[name]
    if op in ("stype", "sget", "sset"):
        return scheduler_step(dom, step)
    setter, getter = FAMILIES[step.get("family", "memory")]
    if op == "set":
        ps = step["params"]
        arr, _keep = param_array(ps)
        rc = setter(dom, arr, len(ps), step["flags"])
        return last_error() if rc < 0 else {"ok": None}
    if op == "get":
        return get_params(dom, step["flags"], getter)
    if op == "count":
        n = ctypes.c_int(0)
        rc = getter(dom, None, ctypes.byref(n), step["flags"])
        return last_error() if rc < 0 else {"ok": n.value}
    if op == "xml":
        ptr = virDomainGetXMLDesc(dom, step["flags"])
        if not ptr:
            return last_error()
        text = ctypes.string_at(ptr).decode()
        libc.free(ptr)
        return {"ok": text}
    if op == "setmem":
        rc = virDomainSetMemoryFlags(dom, step["kib"], step["flags"])
        return last_error() if rc < 0 else {"ok": None}
    fn = {"create": virDomainCreate, "destroy": virDomainDestroy, "undefine": virDomainUndefine}[op]
    rc = fn(dom)
    return last_error() if rc < 0 else {"ok": None}


def run_case(steps):
    conn = virConnectOpen(b"test:///default")
    doms = {}
    try:
        return [run_step(conn, doms, s) for s in steps]
    finally:
        for d in doms.values():
            virDomainFree(d)
        virConnectClose(conn)  # the last close resets test:///default for the next case


def main():
    cases = json.load(sys.stdin)["cases"]
    json.dump([run_case(c) for c in cases], sys.stdout)


main()
