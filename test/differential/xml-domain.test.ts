// Cross-cutting suite (test/differential/): virtune beside libvirt itself, the oracle; not the tests of one src/ file.
import { describe } from 'vitest';
import { matchLibvirtOnDocuments, type AcceptedDoc, type RefusedDoc } from '../helpers/libvirt-documents.js';
import { skipUnless } from '../helpers/prereq.js';

/**
 * Whole documents: what libvirt's test driver prints for a definition and what virtune prints for the same
 * one must be identical. The documents carry what the test driver would otherwise add (arch, a boot device,
 * no devices that get addresses), so the comparison covers libvirt's element order, omissions and escaping.
 */
// The test driver always prints a clock (offset utc by default); virtune keeps whatever clock the document has.
const OS = "<os><type arch='i686'>hvm</type><boot dev='hd'/></os><clock offset='utc'/>";
// A third element `false` marks documents libvirt's schema (and so virtune's) refuses: compared without validation.
const DOCS: AcceptedDoc[] = [
  ['minimal', `<memory>1048576</memory>${OS}`],
  ['escaping in title and description',
    `<title>a'b"c&amp;&lt;&gt;</title><description>multi\nline 'x' "y" &amp; z</description><memory>1024</memory>${OS}`],
  ['element order restored',
    `<devices/><on_crash>preserve</on_crash><cpu mode='host-model'/><features><acpi/></features>${OS}` +
    "<vcpu placement='static' current='1'>2</vcpu><memtune><swap_hard_limit>4096</swap_hard_limit><hard_limit>2048</hard_limit>" +
    "</memtune><currentMemory unit='MiB'>1</currentMemory><memory unit='GiB'>1</memory><uuid>0A0B0C0D1E2F30415263748596A7B8C9</uuid>"],
  ['maxMemory and sizes in other units',
    `<maxMemory slots='16' unit='GiB'>4</maxMemory><memory unit='MB'>1000</memory><currentMemory unit='b'>1025</currentMemory>${OS}`],
  ['metadata with foreign namespaces',
    "<metadata><app:x xmlns:app='urn:app' k='v&quot;'>t 'q' <b>u</b></app:x><o:y xmlns:o='urn:o'/></metadata>" +
    `<memory>1024</memory>${OS}`],
  ['memtune zero and unlimited',
    `<memory>1024</memory>${OS}<memtune><hard_limit>0</hard_limit><soft_limit>9007199254740991</soft_limit><min_guarantee>0</min_guarantee></memtune>`],
  ['lifecycle actions', `<memory>1024</memory>${OS}<on_poweroff>preserve</on_poweroff><on_reboot>destroy</on_reboot><on_crash>coredump-restart</on_crash>`],
  ['a negative stats period is dropped',
    `<memory>1024</memory>${OS}<devices><memballoon model='virtio'><stats period='-5'/></memballoon></devices>`, false],
  ['a stats period with a plus sign and white space',
    `<memory>1024</memory>${OS}<devices><memballoon model='virtio'><stats period=' +5'/></memballoon></devices>`, false],
  ['sizes and counts with white space and plus signs',
    `<maxMemory slots=' 2' unit='KiB'>4096</maxMemory><memory> +1024</memory>${OS}<vcpu current=' +1'> 2</vcpu>`, false],
  // libvirt adds this <numatune> itself for placement='auto'; virtune does not model NUMA and adds nothing.
  ['vcpu placement auto',
    `<memory>1024</memory>${OS}<vcpu placement='auto'>4</vcpu><numatune><memory mode='strict' placement='auto'/></numatune>`],
  // An empty slots attribute is an absent one; with no size either, there is no maxMemory at all.
  ['maxMemory with empty slots and no size', `<maxMemory slots='' unit='KiB'></maxMemory><memory>1024</memory>${OS}`, false],
  ['memballoon switches on and off', `<memory>1024</memory>${OS}<devices><memballoon model='virtio' autodeflate='on' freePageReporting='off'/></devices>`],
  // virtio-mem as libvirt 9.0 models it: sizes to KiB, source/alias/address kept in place, label dropped, <current>
  // dropped from a definition; a dimm beside it normalised the same way.
  ['virtio-mem and a dimm',
    `<maxMemory slots='4' unit='MiB'>4096</maxMemory><memory unit='MiB'>3072</memory>${OS}<devices>` +
    "<memory model='virtio-mem' access='private'><alias name='ua-x'/><target><requested unit='MiB'>256</requested><size unit='GiB'>1</size>" +
    "<current unit='MiB'>4</current><block unit='KiB'>2048</block><label><size>1</size></label></target>" +
    "<source><pagesize unit='KiB'>4</pagesize></source></memory>" +
    "<memory model='dimm'><target><size unit='MiB'>128</size></target></memory>" +
    "<memory model='virtio-mem'><target><size unit='MiB'>768</size><block unit='MiB'>2</block><requested>262144</requested></target></memory></devices>"],
  ['virtio-mem without requested', `<memory unit='MiB'>1024</memory>${OS}<devices><memory model='virtio-mem'><target><size unit='MiB'>768</size><block unit='KiB'>2048</block></target></memory></devices>`],
];

/** Documents libvirt refuses: virtune must refuse them with the same code, domain and message. */
const BAD_DOCS: RefusedDoc[] = [
  ['memory over LLONG_MAX bytes once rounded', `<memory unit='b'>9223372036854775807</memory>${OS}`],
  ['memory overflow in EiB', `<memory unit='EiB'>8</memory>${OS}`],
  ['memory overflow without unit', `<memory>9007199254740992</memory>${OS}`],
  ['currentMemory overflow', `<memory>1024</memory><currentMemory unit='b'>9223372036854775807</currentMemory>${OS}`],
  ['negative memory', `<memory>-1</memory>${OS}`],
  ['no memory', OS],
  ['a zero vcpu count', `<memory>1024</memory>${OS}<vcpu>0</vcpu>`],
  ['current vcpus above the maximum', `<memory>1024</memory>${OS}<vcpu current='3'>2</vcpu>`],
  ['a memory device without size', `<memory unit='MiB'>1024</memory>${OS}<devices><memory model='virtio-mem'><target><block unit='KiB'>2048</block></target></memory></devices>`],
  ['virtio-mem without block', `<memory unit='MiB'>1024</memory>${OS}<devices><memory model='virtio-mem'><target><size unit='MiB'>768</size></target></memory></devices>`],
  ['virtio-mem block not a power of two', `<memory unit='MiB'>1024</memory>${OS}<devices><memory model='virtio-mem'><target><size unit='MiB'>768</size><block unit='KiB'>3000</block></target></memory></devices>`],
  ['virtio-mem block below the huge page size', `<memory unit='MiB'>1024</memory>${OS}<devices><memory model='virtio-mem'><target><size unit='MiB'>768</size><block unit='KiB'>1024</block></target></memory></devices>`],
  ['virtio-mem requested above size', `<memory unit='MiB'>1024</memory>${OS}<devices><memory model='virtio-mem'><target><size unit='MiB'>768</size><block unit='KiB'>2048</block><requested unit='MiB'>1000</requested></target></memory></devices>`],
  ['virtio-mem requested not a multiple of block', `<memory unit='MiB'>1024</memory>${OS}<devices><memory model='virtio-mem'><target><size unit='MiB'>768</size><block unit='KiB'>2048</block><requested>1000</requested></target></memory></devices>`],
  ['virtio-mem negative requested', `<memory unit='MiB'>1024</memory>${OS}<devices><memory model='virtio-mem'><target><size unit='MiB'>768</size><block unit='KiB'>2048</block><requested>-1</requested></target></memory></devices>`],
  ['memory devices beyond the total', `<memory unit='MiB'>1024</memory>${OS}<devices><memory model='virtio-mem'><target><size unit='MiB'>2000</size><block unit='KiB'>2048</block></target></memory></devices>`],
  ['a memory device of an unknown model', `<memory unit='MiB'>1024</memory>${OS}<devices><memory model='bogus'><target><size>1</size></target></memory></devices>`],
  ['an unknown memballoon model', `<memory>1024</memory>${OS}<devices><memballoon model='bogus'/></devices>`],
  ['an empty memballoon model', `<memory>1024</memory>${OS}<devices><memballoon model=''/></devices>`],
  ['a memballoon without model', `<memory>1024</memory>${OS}<devices><memballoon/></devices>`],
  ['a stats period that is not a number', `<memory>1024</memory>${OS}<devices><memballoon model='virtio'><stats period='x'/></memballoon></devices>`],
  ['a stats period beyond int', `<memory>1024</memory>${OS}<devices><memballoon model='virtio'><stats period='2147483648'/></memballoon></devices>`],
  ['a vcpu count that is not a number', `<memory>1024</memory>${OS}<vcpu>abc</vcpu>`],
  ['a vcpu count beyond 32 bits', `<memory>1024</memory>${OS}<vcpu>4294967296</vcpu>`],
  ['a bad current vcpu count', `<memory>1024</memory>${OS}<vcpu placement='bogus' current='x'>2</vcpu>`],
  ['a negative current vcpu count', `<memory>1024</memory>${OS}<vcpu current='-1'>2</vcpu>`],
  ['a bad vcpu placement', `<memory>1024</memory>${OS}<vcpu placement='bogus'>2</vcpu>`],
  ['maxMemory without slots', `<maxMemory unit='KiB'>4096</maxMemory><memory>1024</memory>${OS}`],
  ['maxMemory with zero slots', `<maxMemory slots='0' unit='KiB'>4096</maxMemory><memory>1024</memory>${OS}`],
  ['maxMemory with a zero size', `<maxMemory slots='2' unit='KiB'>0</maxMemory><memory>1024</memory>${OS}`],
  ['maxMemory with bad slots', `<maxMemory slots='-1' unit='KiB'>4096</maxMemory><memory>1024</memory>${OS}`],
  ['maxMemory below memory', `<maxMemory slots='2' unit='KiB'>512</maxMemory><memory>1024</memory>${OS}`],
  ['maxMemory with empty slots', `<maxMemory slots='' unit='KiB'>4096</maxMemory><memory>1024</memory>${OS}`],
  ['a memballoon autodeflate other than on or off', `<memory>1024</memory>${OS}<devices><memballoon model='virtio' autodeflate='yes'/></devices>`],
  ['a memballoon freePageReporting of default', `<memory>1024</memory>${OS}<devices><memballoon model='virtio' freePageReporting='default'/></devices>`],
  ['a title with a newline', `<title>a\nb</title><memory>1024</memory>${OS}`],
  // Several faults: libvirt reports the one its parser meets first.
  ['a bad title and a bad memory value', `<title>a\nb</title><memory>abc</memory>${OS}`],
  ['no memory and a bad vcpu count', `<vcpu>abc</vcpu>${OS}`],
  ['maxMemory below memory and a bad vcpu count', `<memory>1024</memory><vcpu>abc</vcpu><maxMemory slots='2' unit='KiB'>512</maxMemory>${OS}`],
  ['no memory and an unknown lifecycle action', `${OS}<on_crash>bogus</on_crash>`],
  ['no os and a bad memory value', '<memory>abc</memory>'],
  ['a bad title and no os', '<title>a\nb</title><memory>1024</memory>'],
  ['a bad uuid and a bad title', `<uuid>zz</uuid><title>a\nb</title>${OS}`],
  ['an unknown OS type and a bad vcpu count', "<memory>1024</memory><os><type>bogus</type></os><vcpu>abc</vcpu>"],
  ['an unknown lifecycle action and a bad vcpu count', `<memory>1024</memory>${OS}<on_crash>bogus</on_crash><vcpu>abc</vcpu>`],
  ['an unknown lifecycle action and a bad memballoon', `<memory>1024</memory>${OS}<on_crash>bogus</on_crash><devices><memballoon model='x'/></devices>`],
  ['a bad memtune value and a bad vcpu count', `<memory>1024</memory>${OS}<memtune><hard_limit>-1</hard_limit></memtune><vcpu>abc</vcpu>`],
  ['a bad memory value and a bad memtune value', `<memory>abc</memory>${OS}<memtune><hard_limit>-1</hard_limit></memtune>`],
  ['bad maxMemory slots and a bad memtune value', `<memory>1024</memory>${OS}<maxMemory slots='x'>5</maxMemory><memtune><hard_limit>-1</hard_limit></memtune>`],
  ['empty maxMemory slots and a bad memtune value', `<maxMemory slots='' unit='KiB'>4096</maxMemory><memory>1024</memory>${OS}<memtune><hard_limit>x</hard_limit></memtune>`],
  ['a bad memballoon switch and a bad stats period',
    `<memory>1024</memory>${OS}<devices><memballoon model='virtio' freePageReporting='y' autodeflate='x'><stats period='x'/></memballoon></devices>`],
  ['a zero vcpu count below its current count', `<memory>1024</memory>${OS}<vcpu current='1'>0</vcpu>`],
  ['a zero vcpu count and a bad placement', `<memory>1024</memory>${OS}<vcpu placement='x'>0</vcpu>`],
  ['a zero vcpu count and a bad current count', `<memory>1024</memory>${OS}<vcpu current='x'>0</vcpu>`],
  ['two memory balloons', `<memory>1024</memory>${OS}<devices><memballoon model='virtio'/><memballoon model='none'/></devices>`],
  ['an unknown OS type', "<memory>1024</memory><os><type>bogus</type></os>"],
  ['an unknown lifecycle action', `<memory>1024</memory>${OS}<on_reboot>bogus</on_reboot>`],
  ['a malformed uuid', `<memory>1024</memory>${OS}<uuid>zz</uuid>`],
];

function doc(i: number, body: string): string {
  return `<domain type='test'><name>dx-${process.pid}-${i}</name>${body}</domain>`;
}

describe.skipIf(skipUnless('python-libvirt'))('whole domain XML against libvirt', () => {
  matchLibvirtOnDocuments(DOCS, BAD_DOCS, doc);
});
