import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Nest turns an unknown error thrown by a microservice handler into a generic "Internal server error".
 * The consumer runtime needs the error itself (backpressure, poison, a failure worth retrying), so this
 * filter hands it back unchanged; the runtime's policies decide what happens.
 */
@Catch()
export class RethrowHandlerErrors implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
