import { ApiProperty } from '@nestjs/swagger';
import { z } from 'zod';
import { OrderCreated, OrderItem } from '@fanout/contracts';
import { createZodDto } from '@fanout/service-kit';

/** ISO 4217 codes, as the runtime's ICU data knows them. */
const CURRENCIES = Intl.supportedValuesOf('currency') as [string, ...string[]];

export const MAX_ITEMS = 100;
export const MAX_QUANTITY = 10_000;

/**
 * A unit price the API accepts: at most 6 digits before the point, so that even the largest order
 * (MAX_ITEMS × MAX_QUANTITY × 999,999.9999 < 10^12) has a total the event's Money (12 digits) can carry.
 */
export const UnitPrice = z
  .string()
  .regex(/^\d{1,6}(\.\d{1,4})?$/, 'must be a decimal string of at most 6 digits before the point and 4 after, such as "19.99"');

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
        quantity: OrderItem.shape.quantity.max(MAX_QUANTITY).meta({ example: 2 }),
        unitPrice: UnitPrice.meta({ example: '19.99', description: 'Exact decimal string: at most 999999.9999' }),
      }),
    )
    .min(1)
    .max(MAX_ITEMS),
});

export class CreateOrderDto extends createZodDto(CreateOrderRequest) {}

export class OrderAcceptedDto {
  @ApiProperty({ format: 'uuid' })
  orderId!: string;

  @ApiProperty({ description: 'Look this trace up in Jaeger to see the fan-out' })
  traceId!: string;
}
