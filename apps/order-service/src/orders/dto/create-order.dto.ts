import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { CurrencyCodes } from 'validator/lib/isISO4217';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsISO4217CurrencyCode,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

/** A money amount as an exact decimal string. */
const PRICE = /^\d{1,12}(\.\d{1,4})?$/;

export class OrderItemDto {
  @ApiProperty({ example: 'SKU-1', minLength: 1, maxLength: 64 })
  @IsString()
  @Length(1, 64)
  sku!: string;

  @ApiProperty({ example: 2, type: 'integer', minimum: 1, maximum: 10_000 })
  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity!: number;

  @ApiProperty({ example: '19.99', description: 'Exact decimal string, at most 4 decimals', pattern: PRICE.source })
  @IsString()
  @Matches(PRICE, { message: 'unitPrice must be a decimal string such as "19.99"' })
  unitPrice!: string;
}

export class CreateOrderDto {
  @ApiProperty({ example: 'customer-42', minLength: 1, maxLength: 128 })
  @IsString()
  @Length(1, 128)
  customerId!: string;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217 currency code', enum: [...CurrencyCodes].sort() })
  @IsISO4217CurrencyCode()
  currency!: string;

  @ApiProperty({ type: [OrderItemDto], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderItemDto)
  items!: OrderItemDto[];
}

export class OrderAcceptedDto {
  @ApiProperty({ format: 'uuid' })
  orderId!: string;

  @ApiProperty({ description: 'Look this trace up in Jaeger to see the fan-out' })
  traceId!: string;
}
