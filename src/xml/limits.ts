/**
 * Hard limits on what the XML parser accepts. Each bounds the work one untrusted document can cause.
 */

/** Largest document accepted, in UTF-8 bytes: the 10 MiB virsh allows for an XML file (VSH_MAX_XML_FILE). */
export const MAX_XML_BYTES = 10 * 1024 * 1024;

/** Deepest element nesting accepted. Real domain XML nests about 6 deep; libxml2 itself stops at 256. */
export const MAX_XML_DEPTH = 64;

/**
 * Longest domain name accepted, in UTF-8 bytes. Names become file names (`NAME.xml`) and cgroup directories
 * (`machine-qemu-N-NAME.scope`), whose components are limited to 255 bytes; this leaves room for the affixes.
 */
export const MAX_DOMAIN_NAME_BYTES = 200;

/**
 * Most nodes one document may hold: elements, attributes, comments, processing instructions, CDATA sections and
 * character or entity references (`&amp;`, `&#60;`) together. Parsing, reading and validating cost a few microseconds per node, so this keeps any document within
 * a fraction of a second; a real domain definition holds hundreds.
 */
export const MAX_XML_NODES = 100_000;

/**
 * Most attributes on one element. libxml2 checks each new attribute against all earlier ones of its element
 * (quadratic: 40,000 attributes take seconds), and RelaxNG does again for elements that allow any attribute.
 */
export const MAX_XML_ATTRIBUTES_PER_ELEMENT = 256;

/**
 * Most child nodes (elements, comments, processing instructions, CDATA sections) of one element. libxml2's
 * RelaxNG validation of repeated content is quadratic in the number of siblings.
 */
export const MAX_XML_CHILDREN_PER_ELEMENT = 5_000;
