import { subgraphCodegenConfig } from '@microshop/codegen';

export default subgraphCodegenConfig({
  contextType: '../context.ts#PaymentsContext',
  mappers: {
    Payment: '../payment.repository.ts#PaymentRecord',
    Order: '../context.ts#EntityReference',
  },
});
