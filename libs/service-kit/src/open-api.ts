import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { BEARER_SCHEME } from './auth/decorators';

export interface OpenApiInfo {
  title: string;
  description: string;
}

/** Serves the service's OpenAPI document at /docs-json and Swagger UI at /docs, bearer tokens described. */
export function serveOpenApi(app: NestFastifyApplication, info: OpenApiInfo): void {
  const document = new DocumentBuilder()
    .setTitle(info.title)
    .setDescription(info.description)
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An OAuth2 access token of OAUTH_ISSUER' },
      BEARER_SCHEME,
    )
    .build();
  SwaggerModule.setup('docs', app, () => cleanupOpenApiDoc(SwaggerModule.createDocument(app, document)));
}
