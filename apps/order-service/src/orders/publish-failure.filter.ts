import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PublishFailedError } from '@fanout/messaging';

/** Kafka unreachable, too slow or the publish queue full: 503 with Retry-After, never a hanging request. */
@Catch(PublishFailedError)
export class PublishFailureFilter implements ExceptionFilter {
  catch(error: Error, host: ArgumentsHost): void {
    void host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .status(HttpStatus.SERVICE_UNAVAILABLE)
      .header('Retry-After', '5')
      .send({ statusCode: HttpStatus.SERVICE_UNAVAILABLE, error: 'Service Unavailable', message: error.message });
  }
}
