import { BadRequestException, Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, RequireScopes, SCOPES, type Principal } from '@fanout/service-kit';
import { CreateOrderDto, OrderAcceptedDto } from './dto/create-order.dto';
import { OrdersService, type Accepted } from './orders.service';

/** Up to 128 visible ASCII characters: what a client may send as an Idempotency-Key (empty: no key). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{0,128}$/;

const ORDER_ID = { name: 'id', description: 'The order id returned by POST /orders', schema: { type: 'string', format: 'uuid' } } as const;

@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @RequireScopes(SCOPES.ordersWrite)
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: OrderAcceptedDto, description: 'Kafka acknowledged OrderCreated (acks=all)' })
  @ApiBadRequestResponse({ description: 'The body is malformed; the message lists every problem' })
  @ApiServiceUnavailableResponse({ description: 'Kafka did not acknowledge in time; retry after Retry-After' })
  @ApiHeader({
    name: 'idempotency-key', // as @Headers reads it: one parameter, not two
    required: false,
    description:
      'Retries with the same key get the same order id: nothing is published again once Kafka acknowledged it; after a failed publish the same event (same event id, applied once) is. An empty value counts as none',
    schema: { type: 'string', maxLength: 128, pattern: IDEMPOTENCY_KEY.source },
  })
  @ApiForbiddenResponse({ description: "The token lacks orders:write, or a customer's token names another customer in the body" })
  @ApiConflictResponse({
    description: 'The Idempotency-Key was sent before with another order, or a request with it is still being published (retry later)',
  })
  create(
    @Body() order: CreateOrderDto,
    @CurrentPrincipal() caller: Principal,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<Accepted> {
    if (idempotencyKey === '') idempotencyKey = undefined; // an empty header is no key, as if it were absent
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new BadRequestException('Idempotency-Key must be 1 to 128 visible ASCII characters');
    }
    return this.orders.create(order, caller, idempotencyKey);
  }

  @Post(':id/cancel')
  @RequireScopes(SCOPES.ordersWrite)
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: OrderAcceptedDto, description: 'OrderCancelled acknowledged, or the order was cancelled before' })
  @ApiNotFoundResponse({ description: "No such order (neither in the read model nor accepted by order-service), or another customer's" })
  @ApiParam(ORDER_ID)
  @ApiBadRequestResponse({ description: 'The id is not a UUID' })
  cancel(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() caller: Principal): Promise<Accepted> {
    return this.orders.cancel(id, caller);
  }

  @Get(':id')
  @RequireScopes(SCOPES.ordersRead)
  @ApiOkResponse({
    description: "The order's view in the read model, with its status and version; status PENDING until the read model has it",
  })
  @ApiNotFoundResponse({ description: "No such order, or it is another customer's" })
  @ApiParam(ORDER_ID)
  @ApiBadRequestResponse({ description: 'The id is not a UUID' })
  find(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() caller: Principal) {
    return this.orders.find(id, caller);
  }
}
