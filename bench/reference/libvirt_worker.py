"""The reference side of virtune's benchmarks: libvirt 9.0's test driver through its Python binding.

Run by bench/run.js as a long-lived worker so that libvirt's rounds interleave with virtune's in one run:
one JSON request per line on stdin, one JSON answer per line on stdout. Timing happens here, around the
libvirt calls only, so Python's start-up and the pipe are never measured.

`libvirt_worker.py rss N` instead defines N domains in a fresh process and prints its memory figures.
"""
import gc
import json
import sys
import time

import libvirt

URI = 'test:///default'
HARD_LIMIT_VALUES = (1048576, 2097152)
SETTLE_ROUNDS = 3
SETTLE_SECONDS = 0.1


def silence(_ctx, _err):
    """libvirt prints every error to stderr by default; the bench reads errors from exceptions."""


libvirt.registerErrorHandler(silence, None)


def uuid_of(i):
    return '00000000-0000-4000-8000-%012x' % i


def many_docs(template, n):
    return [template.replace('@NAME@', 'bench-%d' % i).replace('@UUID@', uuid_of(i)) for i in range(n)]


def op_setget(req):
    conn = libvirt.open(URI)
    dom = conn.lookupByName('test')
    n = req['n']
    start = time.perf_counter()
    for i in range(n):
        dom.setMemoryParameters({'hard_limit': HARD_LIMIT_VALUES[i & 1]}, 0)
        dom.memoryParameters(0)
    seconds = time.perf_counter() - start
    conn.close()
    return {'seconds': seconds}


def op_sched_setget(req):
    """set+get scheduler parameters on the test domain (the test driver's one parameter, `weight`).

    The flagless calls: the binding's *Flags forms first ask the test driver for string parameters, which it
    refuses.
    """
    conn = libvirt.open(URI)
    dom = conn.lookupByName('test')
    start = time.perf_counter()
    for i in range(req['n']):
        dom.setSchedulerParameters({'weight': 50 + (i & 1)})
        dom.schedulerParameters()
    seconds = time.perf_counter() - start
    conn.close()
    return {'seconds': seconds}


def op_blkio_setget(req):
    """set+get blkio parameters (`weight`) on the test domain."""
    conn = libvirt.open(URI)
    dom = conn.lookupByName('test')
    start = time.perf_counter()
    for i in range(req['n']):
        dom.setBlkioParameters({'weight': 300 + (i & 1)}, 0)
        dom.blkioParameters(0)
    seconds = time.perf_counter() - start
    conn.close()
    return {'seconds': seconds}


def variant(xml, i, vary):
    """The i-th document, changed as bench/lib/fixtures.js realisticDomainVariant changes it."""
    if vary == 'mac':
        h = '%06x' % (i & 0xffffff)
        return xml.replace('52:54:00:6b:3c:58', '52:54:00:%s:%s:%s' % (h[0:2], h[2:4], h[4:6]))
    if vary == 'machine':
        return xml.replace("machine='pc'", "machine='pc-%d'" % i)
    if vary == 'description':
        return xml.replace('</description>', ' #%d</description>' % i)
    return xml


def op_define(req):
    conn = libvirt.open(URI)
    xml, n, flags, vary, first = req['xml'], req['n'], req['flags'], req['vary'], req['first']
    start = time.perf_counter()
    for i in range(first, first + n):
        conn.defineXMLFlags(variant(xml, i, vary), flags).XMLDesc(0)
    seconds = time.perf_counter() - start
    conn.close()
    return {'seconds': seconds}


def op_many(req):
    conn = libvirt.open(URI)
    docs = many_docs(req['template'], req['n'])
    names = ['bench-%d' % i for i in range(req['n'])]
    t0 = time.perf_counter()
    for doc in docs:
        conn.defineXMLFlags(doc, 0)
    t1 = time.perf_counter()
    listed = conn.listAllDomains(0)
    t2 = time.perf_counter()
    for name in names:
        conn.lookupByName(name)
    t3 = time.perf_counter()
    count = len(listed)
    del listed
    conn.close()
    return {'define': t1 - t0, 'list': t2 - t1, 'lookup': t3 - t2, 'listed': count}


def status_kib(field):
    """A figure from /proc/self/status. VmHWM, not ru_maxrss: the latter carries over the peak of the process
    that forked us (a large bench process) across exec."""
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    raise KeyError(field)


def rss_main(n, template_path):
    with open(template_path) as f:
        template = f.read()
    docs = many_docs(template, n)
    conn = libvirt.open(URI)
    before = status_kib('VmRSS')
    # Keep the handles, as the virtune side keeps its Domain objects: both hold every domain alive.
    handles = [conn.defineXMLFlags(doc, 0) for doc in docs]
    after = status_kib('VmRSS')
    peak = status_kib('VmHWM')
    # The same reading once the process has settled, as bench/children/rss-child.js takes it.
    for _ in range(SETTLE_ROUNDS):
        time.sleep(SETTLE_SECONDS)
        gc.collect()
    settled = status_kib('VmRSS')
    print(json.dumps({'beforeKiB': before, 'afterKiB': after, 'settledKiB': settled, 'peakKiB': peak, 'count': len(handles)}))
    conn.close()


def setget_pairs(dom, n):
    for i in range(n):
        dom.setMemoryParameters({'hard_limit': HARD_LIMIT_VALUES[i & 1]}, 0)
        dom.memoryParameters(0)


def op_remote_setget(req):
    """set+get pairs on the test domain of a libvirtd, through its URI (the remote driver's bench)."""
    conn = libvirt.open(req['uri'])
    dom = conn.lookupByName('test')
    start = time.perf_counter()
    setget_pairs(dom, req['n'])
    seconds = time.perf_counter() - start
    conn.close()
    return {'seconds': seconds}


def op_remote_open(req):
    """n times: open the URI, make one call, close. Also the process's CPU time for them (user + system)."""
    start = time.perf_counter()
    cpu = time.process_time()
    for _ in range(req['n']):
        conn = libvirt.open(req['uri'])
        conn.lookupByName('test')
        conn.close()
    return {'seconds': time.perf_counter() - start, 'cpu_seconds': time.process_time() - cpu}


def setget_for_main(uri, seconds):
    """One of several processes loading a daemon together: pairs done in `seconds`, printed as JSON."""
    conn = libvirt.open(uri)
    dom = conn.lookupByName('test')
    setget_pairs(dom, 50)
    pairs = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        setget_pairs(dom, 50)
        pairs += 50
    elapsed = time.perf_counter() - start
    conn.close()
    print(json.dumps({'pairs': pairs, 'seconds': elapsed}))


OPS = {'setget': op_setget, 'sched-setget': op_sched_setget, 'blkio-setget': op_blkio_setget, 'define': op_define, 'many': op_many, 'remote-setget': op_remote_setget, 'remote-open': op_remote_open}


def serve():
    for line in sys.stdin:
        req = json.loads(line)
        try:
            answer = OPS[req['op']](req)
        except libvirt.libvirtError as e:
            answer = {'error': str(e)}
        sys.stdout.write(json.dumps(answer) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    if len(sys.argv) >= 2 and sys.argv[1] == 'rss':
        rss_main(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) >= 2 and sys.argv[1] == 'setget-for':
        setget_for_main(sys.argv[2], float(sys.argv[3]))
    else:
        serve()
