import { subgraphCodegenConfig } from '@microshop/codegen';

export default subgraphCodegenConfig({
  contextType: '../context.ts#OrdersContext',
  mappers: {
    Order: '../order.repository.ts#OrderRecord',
    OrderItem: '../order.repository.ts#OrderItemRecord',
    OrderStatusChange: '../order.repository.ts#OrderStatusChangeRecord',
    User: '../context.ts#EntityReference',
    Product: '../context.ts#EntityReference',
  },
});
