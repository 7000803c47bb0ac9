import { subgraphCodegenConfig } from '@microshop/codegen';

export default subgraphCodegenConfig({
  contextType: '../context.ts#CatalogContext',
  mappers: {
    Product: '../product.repository.ts#ProductRecord',
    Category: '../product.repository.ts#CategoryRecord',
    ProductVariant: '../product.repository.ts#VariantRecord',
    ProductImage: '../product.repository.ts#ImageRecord',
    ProductConnection: '../product.service.ts#ProductPage',
  },
});
