import { BaseRpcContext } from '@nestjs/microservices';
import type { ConsumedRecord } from './consumed-record';

/** What a Nest handler can ask of the record it handles (`@Ctx() ctx: RecordContext`). */
export class RecordContext extends BaseRpcContext<[ConsumedRecord, string]> {
  get record(): ConsumedRecord {
    return this.args[0];
  }

  get groupId(): string {
    return this.args[1];
  }
}
