"""assignments: the end of the monitoring after the final report (art. 15 ust. 1 pkt 16 of the
family-support act); the assistant of an assignment ended by a final report reads the family's
file until then

Existing assignments have none (NULL: no monitoring).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 03:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('monitoring_until', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_column('monitoring_until')
