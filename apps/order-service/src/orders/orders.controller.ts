import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiNotFoundResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
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
  create(@Body() order: CreateOrderDto): Promise<Accepted> {
    return this.orders.create(order);
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: OrderAcceptedDto })
  cancel(@Param('id', ParseUUIDPipe) id: string): Promise<Accepted> {
    return this.orders.cancel(id);
  }

  @Get(':id')
  @ApiNotFoundResponse({ description: 'The read model has no view of this order (yet)' })
  find(@Param('id', ParseUUIDPipe) id: string) {
    return this.orders.find(id);
  }
}
