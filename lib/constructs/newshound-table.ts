import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { tableDefinition } from '../../lambda/adapters/dynamodb/table-definition.ts';

/**
 * The single table, shaped by the same definition the store code and the embedded engine use
 * (lambda/adapters/dynamodb/table-definition.ts). It holds subscribers and the send-once ledger, so
 * it outlives the stack: deletion protection, RETAIN, and point-in-time recovery.
 */
export class NewshoundTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const attribute = (a: { name: string; type: string }): dynamodb.Attribute => ({
      name: a.name,
      type: a.type as dynamodb.AttributeType,
    });
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: attribute(tableDefinition.partitionKey),
      sortKey: attribute(tableDefinition.sortKey),
      // On-demand: a poll every few minutes is far below any provisioned minimum worth paying for.
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of tableDefinition.localSecondaryIndexes) {
      this.table.addLocalSecondaryIndex({
        indexName: index.indexName,
        sortKey: attribute(index.sortKey),
        projectionType: index.projection as dynamodb.ProjectionType,
      });
    }
    for (const index of tableDefinition.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: index.projection as dynamodb.ProjectionType,
        nonKeyAttributes: [...index.nonKeyAttributes],
      });
    }
  }
}
