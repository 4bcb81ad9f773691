import { BaseRpcContext } from '@nestjs/microservices';
import { originOf, type ConsumedRecord, type RecordOrigin } from './consumed-record';

/** What a Nest handler can ask of the record it handles (`@Ctx() ctx: RecordContext`). */
export class RecordContext extends BaseRpcContext<[ConsumedRecord, string]> {
  get record(): ConsumedRecord {
    return this.args[0];
  }

  /** Where the event first appeared (its source partition and offset), also when this is a retry. */
  get origin(): RecordOrigin {
    return originOf(this.args[0]);
  }

  get groupId(): string {
    return this.args[1];
  }
}
