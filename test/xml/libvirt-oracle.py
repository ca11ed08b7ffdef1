# Defines each domain XML read (as a JSON list) from stdin in libvirt's test driver and prints, as JSON,
# either the XML libvirt keeps or libvirt's error (code, domain, message). Used by xml-memtune.test.ts.
import json
import sys

import libvirt

libvirt.registerErrorHandler(lambda *args: None, None)
conn = libvirt.open('test:///default')
results = []
for xml in json.load(sys.stdin):
    try:
        dom = conn.defineXML(xml)
        results.append({'ok': True, 'xml': dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)})
        dom.undefine()
    except libvirt.libvirtError as e:
        results.append({'ok': False, 'code': e.get_error_code(), 'domain': e.get_error_domain(), 'message': str(e)})
json.dump(results, sys.stdout)
