import { BadRequestException, Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CreateOrderDto, OrderAcceptedDto } from './dto/create-order.dto';
import { OrdersService, type Accepted } from './orders.service';

@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: OrderAcceptedDto, description: 'Kafka acknowledged OrderCreated (acks=all)' })
  @ApiBadRequestResponse({ description: 'The body is malformed; the message lists every problem' })
  @ApiServiceUnavailableResponse({ description: 'Kafka did not acknowledge in time; retry after Retry-After' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retries with the same key get the same order id and publish nothing',
  })
  create(@Body() order: CreateOrderDto, @Headers('idempotency-key') idempotencyKey?: string): Promise<Accepted> {
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,128}$/.test(idempotencyKey)) {
      throw new BadRequestException('Idempotency-Key must be 1 to 128 visible ASCII characters');
    }
    return this.orders.create(order, idempotencyKey);
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: OrderAcceptedDto, description: 'OrderCancelled acknowledged, or the order was cancelled before' })
  @ApiNotFoundResponse({ description: 'No such order: neither in the read model nor accepted by order-service' })
  cancel(@Param('id', ParseUUIDPipe) id: string): Promise<Accepted> {
    return this.orders.cancel(id);
  }

  @Get(':id')
  @ApiNotFoundResponse({ description: 'The read model has no view of this order (yet)' })
  find(@Param('id', ParseUUIDPipe) id: string) {
    return this.orders.find(id);
  }
}
