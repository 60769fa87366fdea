// NestJS-style service with decorators, parameter properties and a config service.
import { Injectable, Controller, Get, Param } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';

function hostFor(env: string): string {
  return env === 'dev' ? 'localhost' : 'catalog.internal';
}

@Injectable()
export class CatalogSource {
  constructor(private readonly config: ConfigService) {}

  create(): DataSource {
    return new DataSource({
      type: 'postgres',
      host: hostFor('dev'),
      url: this.config.get<string>('CATALOG_DATABASE_URL'),
      ssl: { rejectUnauthorized: false },
      synchronize: false,
    });
  }
}

@Controller('items')
export class ItemsController {
  constructor(private readonly items: Map<string, string>) {}

  @Get(':id')
  find(@Param('id') id: string): string | undefined {
    return this.items.get(id);
  }

  @Get()
  all(): string[] {
    return [...this.items.values()].sort();
  }
}

export function slug(s: string): string {
  return s.toLowerCase().split(' ').filter(Boolean).join('-');
}

export function pageOf(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size));
}

export function pairs<K, V>(m: Map<K, V>): [K, V][] {
  const out: [K, V][] = [];
  m.forEach((v, k) => out.push([k, v]));
  return out;
}
