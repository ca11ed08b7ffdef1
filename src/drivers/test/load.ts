import { DomainState } from '../../flags.js';
import type { DomainDef } from '../../xml/domain-def.js';
import { DomainObjectList } from '../common/domain-objects.js';
import { TEST_ERROR_DOMAIN as E } from './context.js';
import { defaultDomainDef } from './default-domain-def.js';

/** A domain as a test-driver file describes it. */
export interface FileDomain {
  def: DomainDef;
  /** The state it is in once loaded (RUNNING unless `<test:runstate>` says otherwise). */
  state: DomainState;
  transient: boolean;
}

function newList(): DomainObjectList {
  return new DomainObjectList({ errorDomain: E, bareLookupErrors: true });
}

/** Puts loaded domains into a fresh list: running ones get ids 1, 2, ... in file order, with reason 0. */
export function populate(domains: readonly FileDomain[]): DomainObjectList {
  const list = newList();
  for (const d of domains) {
    const obj = d.transient ? list.addTransient(d.def) : list.define(d.def).obj;
    if (d.state !== DomainState.SHUTOFF) {
      list.markStarted(obj, 0);
      obj.state = d.state;
    }
  }
  return list;
}

/** `test:///default`: one running domain `test`, id 1, fresh for every connection. No XML is parsed. */
export function loadDefaultDomains(): DomainObjectList {
  return populate([{ def: defaultDomainDef(), state: DomainState.RUNNING, transient: false }]);
}
