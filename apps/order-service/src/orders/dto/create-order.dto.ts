import { ApiProperty } from '@nestjs/swagger';
import { z } from 'zod';
import { OrderCreated, OrderItem } from '@fanout/contracts';
import { createZodDto } from '@fanout/service-kit';

/** ISO 4217 codes, as the runtime's ICU data knows them. */
const CURRENCIES = Intl.supportedValuesOf('currency') as [string, ...string[]];

/**
 * The body of POST /orders: the OrderCreated contract's customer, currency and items (so a valid request
 * always makes a valid event), with the API's own limits; unknown fields are refused.
 */
export const CreateOrderRequest = z.strictObject({
  customerId: OrderCreated.shape.customerId
    .max(128)
    .meta({ example: 'customer-42', description: "Whose order this is: with a customer's token, that customer (another is 403)" }),
  currency: z.enum(CURRENCIES, { error: 'currency must be an ISO 4217 currency code' }).meta({ example: 'EUR' }),
  items: z
    .array(
      z.strictObject({
        ...OrderItem.shape,
        sku: OrderItem.shape.sku.meta({ example: 'SKU-1' }),
        quantity: OrderItem.shape.quantity.max(10_000).meta({ example: 2 }),
        unitPrice: OrderItem.shape.unitPrice.meta({ example: '19.99', description: 'Exact decimal string, at most 4 decimals' }),
      }),
    )
    .min(1)
    .max(100),
});

export class CreateOrderDto extends createZodDto(CreateOrderRequest) {}

export class OrderAcceptedDto {
  @ApiProperty({ format: 'uuid' })
  orderId!: string;

  @ApiProperty({ description: 'Look this trace up in Jaeger to see the fan-out' })
  traceId!: string;
}
