import type { DefinitionSavers } from '../../src/drivers/common/definition-change.js';
import type { DomainObject } from '../../src/drivers/common/domain-objects.js';
import { ErrorCode, VirError, type ErrorDomain } from '../../src/errors.js';
import type { DomainDef } from '../../src/xml/domain-def.js';

/**
 * The definition savers of a test of a shared tuning path: every save is kept (`live`, `config`), and while
 * `failConfig` is set the config save fails as a full disk would (SYSTEM_ERROR in the driver's error domain), so a
 * test can see a failed save undo the rest.
 */
export class RecordingSavers implements DefinitionSavers {
  readonly live: DomainDef[] = [];
  readonly config: DomainDef[] = [];
  failConfig = false;

  constructor(private readonly errorDomain: ErrorDomain) {}

  readonly saveLive = async (_obj: DomainObject, def: DomainDef): Promise<void> => {
    this.live.push(def);
  };

  readonly saveConfig = async (_obj: DomainObject, def: DomainDef): Promise<void> => {
    if (this.failConfig) throw new VirError(ErrorCode.SYSTEM_ERROR, this.errorDomain, 'disk full');
    this.config.push(def);
  };
}
