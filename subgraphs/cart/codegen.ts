import { subgraphCodegenConfig } from '@microshop/codegen';

export default subgraphCodegenConfig({
  contextType: '../context.ts#CartContext',
  mappers: {
    Cart: '../cart.service.ts#CartView',
    GuestCartPayload: '../cart.service.ts#GuestCartView',
    CartItem: '../cart.service.ts#CartItemView',
    User: '../cart.service.ts#UserReference',
    Product: '../cart.service.ts#ProductReference',
  },
});
