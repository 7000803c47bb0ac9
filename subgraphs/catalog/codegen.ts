import { subgraphCodegenConfig } from '@microshop/codegen';

export default subgraphCodegenConfig({
  contextType: '../context.ts#CatalogContext',
  mappers: {
    Product: '../product.repository.ts#ProductRecord',
    Category: '../product.repository.ts#CategoryRecord',
    ProductConnection: '../product.service.ts#ProductPage',
  },
});
