import { describe, expect, it } from 'vitest';
import { DOMAIN_SLOTS } from '../../src/xml/domain-layout.js';
import { scanChildren } from '../../src/xml/layout.js';
import { tokenize } from '../../src/xml/tokenizer.js';
import { domainXML } from '../helpers/domain-xml.js';

describe('placing kept elements', () => {
  it('remembers each optional anchor once, however often it repeats (linear work on repeated elements)', () => {
    const root = tokenize(domainXML('vm1', '<title>t</title><description>d</description>'.repeat(2000) + '<foo/>'.repeat(2000)));
    const { pending } = scanChildren(root, DOMAIN_SLOTS, 1);
    expect(pending.length).toBe(2000);
    for (const p of pending) expect(p.candidates).toEqual(['title', 'description']);
  });
});
