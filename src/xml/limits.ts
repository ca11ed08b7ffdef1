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
