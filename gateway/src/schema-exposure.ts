import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { RequestContext } from '@microshop/runtime';
import type { GatewayFeature } from './feature.ts';

/**
 * Introspection and the Apollo Sandbox landing page on `GET /graphql`, both or neither: Sandbox
 * explores the schema by introspection (on outside production, or with INTROSPECTION=true).
 */
export function schemaExposureFeature(introspection: boolean): GatewayFeature {
  return {
    name: 'schema-exposure',
    apollo: { introspection },
    plugins: [
      introspection
        ? (ApolloServerPluginLandingPageLocalDefault({
            embed: true,
          }) as ApolloServerPlugin<RequestContext>)
        : ApolloServerPluginLandingPageDisabled(),
    ],
  };
}
