import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
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

export class OrderItemDto {
  @ApiProperty({ example: 'SKU-1' })
  @IsString()
  @Length(1, 64)
  sku!: string;

  @ApiProperty({ example: 2, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity!: number;

  @ApiProperty({ example: '19.99', description: 'Exact decimal string, at most 4 decimals' })
  @IsString()
  @Matches(/^\d{1,12}(\.\d{1,4})?$/, { message: 'unitPrice must be a decimal string such as "19.99"' })
  unitPrice!: string;
}

export class CreateOrderDto {
  @ApiProperty({ example: 'customer-42' })
  @IsString()
  @Length(1, 128)
  customerId!: string;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217 currency code' })
  @IsISO4217CurrencyCode()
  currency!: string;

  @ApiProperty({ type: [OrderItemDto] })
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
