// v13: NestJS-style decorators with arguments; the TypeORM options come from a factory that calls
// plain helpers.
import { Module, Injectable, Controller, Get, Param } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

function hostOf(stage: string): string {
  return stage === 'prod' ? 'orders.db.internal' : 'localhost';
}

function entitiesFor(names: string[]) {
  return names.map((n) => `${n}.entity`);
}

@Injectable()
export class OrdersService {
  private cache = new Map<string, unknown>();

  find(id: string) {
    return this.cache.get(id) ?? null;
  }

  remember(id: string, value: unknown) {
    this.cache.set(id, value);
  }
}

@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get(':id')
  one(@Param('id') id: string) {
    return this.orders.find(id);
  }
}

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      useFactory: () => ({
        type: 'postgres',
        host: hostOf(process.env.STAGE ?? 'dev'),
        database: 'orders',
        entities: entitiesFor(['order', 'line']),
        ssl: { rejectUnauthorized: false },
      }),
    }),
  ],
  controllers: [OrdersController],
  providers: [OrdersService],
})
export class OrdersModule {}
